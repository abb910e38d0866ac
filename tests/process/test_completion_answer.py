"""A completion's answer is read from what the save just wrote, not read back from the database.

The answer must still be exactly what anyone reading the case afterwards sees, and the note of
what was saved must never outlive its transaction or survive a change made another way.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event

from process_driver import PROPOSAL
from service.domain.casework import cases, tasks
from service.domain.casework.persistence import saved_rows
from service.domain.core.transaction import transaction
from service.domain.monitoring import supervision
from service.domain.people import users
from service.extensions import db
from service.services import context


def _as_read_later(driver) -> dict:
    return driver.as_("supervisor").get(f"/api/v1/cases/{driver.case['id']}").get_json()


def _same_view(answer: dict, later: dict) -> None:
    assert answer["ready_tasks"] == later["ready_tasks"]
    assert answer["waiting"] == later["waiting"]
    assert (answer["stage"], answer["status"]) == (later["stage"], later["status"])


def test_each_answer_on_the_way_to_an_active_strategy_matches_the_case_read_afterwards(driver):
    driver.to_strategy_proposal()
    _same_view(driver.case, _as_read_later(driver))
    steps = [("propose_contact_strategy", "case_officer", PROPOSAL),
             ("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "Fine"}),
             ("authorise_contact_strategy", "authorising_officer",
              {**{k: True for k in ["matter_properly_considered", "communication_adequate",
                                    "access_requirements_considered", "misunderstandings_addressed",
                                    "fair_reasonable_proportionate"]}, "decision": "approve", "comments": "Ok"}),
             ("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})]
    for element, user, data in steps:
        driver.do(element, user, data)
        _same_view(driver.case, _as_read_later(driver))
    # The active strategy waits on its review timer and for contact: both kinds are in the answer.
    assert {w["kind"] for w in driver.case["waiting"]} == {"timer", "message"}


def test_the_answer_after_a_warning_lists_the_monitoring_timer_and_messages_as_stored(driver):
    driver.to_monitoring()
    later = _as_read_later(driver)
    _same_view(driver.case, later)
    assert any(w["kind"] == "timer" and w["due_at"] for w in later["waiting"])


def _statements_of(process_app, call) -> tuple[object, list[str]]:
    statements: list[str] = []
    with process_app.app_context():
        engine = db.engine

    def seen(_conn, _cursor, statement, *_):
        statements.append(" ".join(statement.split()))
    event.listen(engine, "before_cursor_execute", seen)
    try:
        return call(), statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_a_completion_reads_only_the_token_and_the_task_with_its_case(driver, process_app):
    driver.to_active_strategy()
    driver.send("contact_received", {"contact_date": "2026-03-01", "channel": "email", "summary": "Rude email"})
    [task] = driver.case["ready_tasks"]
    response, statements = _statements_of(process_app, lambda: driver.as_("case_officer").post(
        f"/api/v1/tasks/{task['id']}/complete", json={"data": {
            "classification": ["same_matter_no_new_info"], "is_breach": False, "action_taken": "Logged"}}))
    assert response.status_code == 200, response.get_json()
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == 2, reads
    assert "FROM api_tokens" in reads[0]
    assert "FROM tasks JOIN cases" in reads[1]
    # The task rows are changed by what the engine says changed, not read first.
    writes = [s.split(" SET ")[0].split(" (")[0] for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert "RETURNING" in next(s for s in statements if s.startswith("UPDATE tasks"))
    assert {"UPDATE cases", "INSERT INTO audit_events"} <= set(writes)
    _same_view(response.get_json(), _as_read_later(driver))


def test_a_stray_ready_row_the_engine_does_not_have_is_closed_by_the_next_save(driver, process_app):
    """Rows that drifted from the engine state (a bug, a hand edit) heal on the next change."""
    from service.engine import clock
    from service.models import TaskRecord
    driver.to_active_strategy()
    stray_id = "00000000-0000-4000-8000-000000000001"
    stray = TaskRecord(id=stray_id, case_id=driver.case["id"], element_id="manager_review",
                       title="Left behind", role="case_officer", status="ready", created_at=clock.now())
    with process_app.app_context():
        with transaction(db.session):
            db.session.add(stray)
    driver.send("contact_received", {"contact_date": "2026-03-01", "channel": "email", "summary": "Another"})
    later = _as_read_later(driver)
    assert "Left behind" not in [t["title"] for t in later["ready_tasks"]]
    with process_app.app_context():
        assert db.session.get(TaskRecord, stray_id).status == "cancelled"


def test_a_ready_row_missing_for_a_waiting_task_is_put_back(driver, process_app):
    from service.models import TaskRecord
    driver.to_active_strategy()
    driver.send("contact_received", {"contact_date": "2026-03-01", "channel": "email", "summary": "First"})
    [task] = driver.case["ready_tasks"]
    with process_app.app_context():
        with transaction(db.session):
            db.session.delete(db.session.get(TaskRecord, task["id"]))  # drifted: the engine still waits on it
    driver.send("contact_received", {"contact_date": "2026-03-02", "channel": "email", "summary": "Again"})
    later = _as_read_later(driver)
    assert task["id"] in [t["id"] for t in later["ready_tasks"]]


@pytest.fixture
def officer(process_app):
    with process_app.app_context():
        yield users.find_user(db.session, "case_officer")


def _start(officer):
    from process_driver import INCIDENT
    with transaction(db.session):
        return cases.start_case(context(), officer, dict(INCIDENT))


def test_what_was_saved_is_forgotten_when_the_transaction_ends(process_app, officer):
    case = _start(officer)
    assert saved_rows(db.session, case.id) is None
    [ready] = cases.ready_tasks(db.session, [case.id])[case.id]
    assert ready.element_id == "manager_review"


def test_terminating_after_a_save_in_the_same_transaction_leaves_no_ready_task_in_the_answer(process_app, officer):
    case = _start(officer)
    manager = users.find_user(db.session, "line_manager")
    supervisor = users.find_user(db.session, "supervisor")
    [ready] = cases.ready_tasks(db.session, [case.id])[case.id]
    with transaction(db.session):
        tasks.complete_task(context(), manager, ready.id, {
            "behaviour_unacceptable": True, "welfare_support_offered": True, "decision": "address_behaviour",
            "rationale": "A pattern"})
        assert [t.element_id for t in cases.ready_tasks(db.session, [case.id])[case.id]] == \
            ["check_underlying_causes"]
        supervision.act(context(), supervisor, case.id, "terminate", "Moved away")
        assert cases.ready_tasks(db.session, [case.id])[case.id] == []
        assert cases.waiting_for(db.session, [case.id])[case.id] == []
