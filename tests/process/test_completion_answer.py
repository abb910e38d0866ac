"""A completion's answer is read from what the save just wrote, not read back from the database.

The answer must still be exactly what anyone reading the case afterwards sees, and the note of
what was saved must never outlive its transaction or survive a change made another way.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event

from process_driver import PROPOSAL
from service.domain import cases, supervision, tasks, users
from service.domain.persistence import saved_rows
from service.domain.transaction import transaction
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


def test_a_completion_reads_each_index_table_once_and_nothing_after_its_last_write(driver, process_app):
    driver.to_active_strategy()
    driver.send("contact_received", {"contact_date": "2026-03-01", "channel": "email", "summary": "Rude email"})
    [task] = driver.case["ready_tasks"]
    statements: list[str] = []
    with process_app.app_context():
        engine = db.engine

    def seen(_conn, _cursor, statement, *_):
        statements.append(" ".join(statement.split()))
    event.listen(engine, "before_cursor_execute", seen)
    try:
        response = driver.as_("case_officer").post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {
            "classification": ["same_matter_no_new_info"], "is_breach": False, "action_taken": "Logged"}})
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert response.status_code == 200, response.get_json()
    reads = [s for s in statements if s.startswith("SELECT")]
    for table in ("tasks", "timers", "message_waits"):
        from_table = [s for s in reads if f"FROM {table} " in s + " " and "EXISTS" not in s]
        assert len(from_table) <= 2 if table == "tasks" else len(from_table) == 1, (table, from_table)
    # Nothing is read back after the last write (the audit row): the answer comes from the save.
    last_write = max(i for i, s in enumerate(statements) if s.startswith(("INSERT", "UPDATE", "DELETE")))
    assert not [s for s in statements[last_write + 1:] if s.startswith("SELECT")], statements[last_write + 1:]


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
            "behaviour_unacceptable": True, "welfare_support_offered": True, "decision": "contact_strategy_now",
            "rationale": "Abusive"})
        assert [t.element_id for t in cases.ready_tasks(db.session, [case.id])[case.id]] == \
            ["propose_contact_strategy"]
        supervision.act(context(), supervisor, case.id, "terminate", "Moved away")
        assert cases.ready_tasks(db.session, [case.id])[case.id] == []
        assert cases.waiting_for(db.session, [case.id])[case.id] == []
