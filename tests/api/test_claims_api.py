"""Completing a task someone else claimed: the API keeps the web's rule (issue #19, item 10).

It used to go through with no override and no record; now it answers 422 on
``override`` and, with ``"override": true``, completes and records the override.
"""
from __future__ import annotations

from service.domain.core.transaction import transaction
from service.domain.people import claims
from service.domain.people.users import find_user
from service.extensions import db
from service.models import AuditEvent, TaskRecord


def _claimed_by_the_line_manager(officer, new_case):
    case = new_case()
    case = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                        json={"data": {"notes": "x"}}).get_json()
    task_id = case["ready_tasks"][0]["id"]
    with transaction(db.session):
        claims.claim(db.session, find_user(db.session, "line_manager"), task_id)
    return task_id


def test_completing_a_task_someone_else_claimed_needs_an_override_that_is_recorded(officer, new_case, as_user):
    task_id = _claimed_by_the_line_manager(officer, new_case)
    other = as_user("all_roles")
    refused = other.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
    assert refused.status_code == 422
    assert "Demo Line Manager is working on this task" in refused.get_json()["fields"]["override"][0]
    assert db.session.get(TaskRecord, task_id).status == "ready"
    done = other.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"decision": "approve"}, "override": True})
    assert done.status_code == 200
    events = db.session.query(AuditEvent).filter_by(task_id=task_id).order_by(AuditEvent.id).all()
    assert [(e.action, e.actor) for e in events] == [("task_claimed", "line_manager"),
                                                     ("task_claim_overridden", "all_roles"),
                                                     ("task_completed", "all_roles")]
    assert events[1].data == {"from": "line_manager"}


def test_the_claimant_completes_without_an_override(officer, new_case, as_user):
    task_id = _claimed_by_the_line_manager(officer, new_case)
    done = as_user("line_manager").post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
    assert done.status_code == 200
    assert db.session.query(AuditEvent).filter_by(task_id=task_id, action="task_claim_overridden").count() == 0
