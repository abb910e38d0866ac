"""Reading a case's record or its letters through the API leaves a trace (issue #19, item 9)."""
from __future__ import annotations

from service.extensions import db
from service.models import AuditEvent


def _actions(case_id):
    db.session.expire_all()
    return [(e.action, e.actor) for e in db.session.query(AuditEvent).filter_by(case_id=case_id)
            .order_by(AuditEvent.id)]


def test_reading_the_audit_record_and_the_letters_is_recorded(officer, new_case):
    case = new_case()
    record = officer.get(f"/api/v1/cases/{case['id']}/audit")
    assert record.status_code == 200 and [e["action"] for e in record.get_json()["items"]] == ["case_started"]
    letters = officer.get(f"/api/v1/cases/{case['id']}/letters")
    assert letters.status_code == 200 and letters.get_json() == {"items": []}
    assert _actions(case["id"])[-2:] == [("case_audit_read", "case_officer"), ("case_letters_read", "case_officer")]
    again = officer.get(f"/api/v1/cases/{case['id']}/audit").get_json()["items"]
    assert [e["action"] for e in again][-2:] == ["case_audit_read", "case_letters_read"]


def test_a_refused_read_records_nothing(officer, new_case, as_user):
    case = new_case()
    before = _actions(case["id"])
    assert as_user("dpo").get(f"/api/v1/cases/{case['id']}/audit").status_code in (403, 404)
    assert _actions(case["id"]) == before
