"""Closed cases are purged after the retention period; the yearly figures stay as they were."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta, timezone

import pytest

from letter_support import letter_named
from process_driver import Driver
from service.domain.data_protection import retention
from service.domain.monitoring import reports
from service.engine import clock
from service.extensions import db
from service.models import (
    AuditEvent,
    Case,
    ContactLogEntry,
    Disclosure,
    Letter,
    MessageWait,
    OutboundEmail,
    PurgedCase,
    TaskRecord,
    TimerRecord,
)
from service.services import context
from web_support import Staff, main_text

YEAR_2026 = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))
PERSONAL = ["Sam Jones", "Shouted at the officer", "12 Elm Street", "Phone number", "Anyshire Police", "Unfair"]


@pytest.fixture
def history(letters_app):
    """An ended strategy (letters, contact, disclosure, dispute), a case still open, and one closed later."""
    ended = Driver(letters_app.test_client()).to_active_strategy()
    ended.send("contact_received", {"contact_date": "2026-03-02", "channel": "email", "summary": "Asked again"})
    ended.do("review_incoming_contact", "case_officer", {"classification": ["new_information"], "is_breach": True,
                                                         "action_taken": "Reminder"})
    ended.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    ended.send("partner_sharing_requested", {"agency": "Anyshire Police", "purpose": "Risk"})
    ended.do("dpo_consultation", "dpo", {"decision": "approve", "legal_basis": "risk_to_life"})
    ended.do("record_partner_sharing", "case_officer", {"shared_on": "2026-03-02", "details_shared": "Phone number"})
    assert letter_named(ended.case["id"], "contact_strategy_letter").status == "issued"  # with its task
    ended.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    ended.do("consider_dispute", "chief_executive", {"outcome": "end_restrictions", "reasons": "Ended"})
    ended.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    assert ended.case["status"] == "closed"
    still_open = Driver(letters_app.test_client()).to_monitoring(service_user_name="Alex Open")
    later = Driver(letters_app.test_client()).start(service_user_name="Robin Later")
    return {"ended": ended.case["id"], "open": still_open.case["id"], "later": later}


def _rows(model, case_id):
    return db.session.query(model).filter_by(case_id=case_id).count()


def test_dry_run_lists_only_cases_past_retention_and_changes_nothing(letters_app, history):
    clock.advance(timedelta(days=6 * 366))
    history["later"].users = {}
    history["later"].do("manager_review", "line_manager", {"behaviour_unacceptable": False,
                                                           "welfare_support_offered": True,
                                                           "decision": "no_further_action", "rationale": "Isolated"})
    due = retention.due(db.session, letters_app.config)
    assert [c.case_id for c in due] == [history["ended"]]
    assert (due[0].status, due[0].outcome) == ("closed", "closed_strategy_ended")
    assert db.session.get(Case, history["ended"]) is not None and _rows(Letter, history["ended"]) == 3
    result = letters_app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert f"case {history['ended']}\tclosed" in result.output and "1 case(s)" in result.output
    page = Staff(letters_app, "dpo").get("/data-protection/retention")
    assert f"Case B-{history['ended']:06d}" in main_text(page) and f"Case B-{history['open']:06d}" not in main_text(page)
    assert db.session.query(PurgedCase).count() == 0


def test_purge_removes_the_person_and_keeps_the_figures(letters_app, history):
    ended = history["ended"]
    clock.advance(timedelta(days=6 * 366))
    before = reports.yearly_report(db.session, *YEAR_2026)
    assert (before.figures["strategies_introduced"], before.figures["breaches"], before.figures["warnings_issued"]) == (1, 1, 1)
    assert before.disputes == {"end_restrictions": 1}

    assert retention.purge_due(context()) == [ended]
    db.session.expire_all()
    assert db.session.get(Case, ended) is None
    for model in (TaskRecord, TimerRecord, MessageWait, ContactLogEntry, Letter, OutboundEmail, Disclosure):
        assert _rows(model, ended) == 0, model.__name__
    assert _rows(AuditEvent, ended) == 0  # the events stay, anonymised and unlinked
    [kept] = db.session.query(PurgedCase).all()
    assert (kept.process_id, kept.stage, kept.outcome) == ("contact_management", "closed", "closed_strategy_ended")
    stored = " ".join(str(e.data) for e in db.session.query(AuditEvent).filter(AuditEvent.case_id.is_(None)))
    for personal in PERSONAL:
        assert personal not in stored, personal
    assert db.session.query(AuditEvent).filter_by(action="case_purged").count() == 1

    after = reports.yearly_report(db.session, *YEAR_2026)
    assert asdict(after) == asdict(before)
    assert db.session.get(Case, history["open"]) is not None  # open cases are never purged
    assert retention.purge_due(context()) == []  # and a second run finds nothing


def test_the_worker_purges_once_an_hour(letters_app, history, monkeypatch):
    from service import worker
    clock.advance(timedelta(days=6 * 366))
    worker._last_purge.clear()
    db.session.remove()
    worker.run(letters_app, once=True)
    assert db.session.get(Case, history["ended"]) is None and db.session.query(PurgedCase).count() == 1
    looked = []
    monkeypatch.setattr(worker, "purge_due", lambda ctx: looked.append(clock.now()) or [])
    worker.run(letters_app, once=True)
    clock.advance(timedelta(minutes=59))
    worker.run(letters_app, once=True)
    assert looked == []  # within the hour the worker does not look again, however often it sweeps
    clock.advance(timedelta(minutes=1))
    worker.run(letters_app, once=True)
    assert looked == [clock.now()]


def test_a_purged_name_does_not_linger_in_sqlites_files(letters_app, history):
    """Issue #19 item 14: the write-ahead log and freed pages held deleted rows until overwritten."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's files only")
    from pathlib import Path
    database = Path(url.database)
    wal = Path(f"{database}-wal")
    db.session.execute(db.text("SELECT 1"))  # the log exists while the app is connected
    assert b"Sam Jones" in database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    clock.advance(timedelta(days=6 * 366))
    assert retention.purge_due(context()) == [history["ended"]]
    assert not wal.exists() or b"Sam Jones" not in wal.read_bytes()
    assert b"Sam Jones" not in database.read_bytes()
    assert b"Alex Open" in database.read_bytes() + wal.read_bytes()  # open cases stay
