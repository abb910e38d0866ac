"""A completion is one transaction: a failure changes nothing; a race loses no update."""
from __future__ import annotations

import threading

import pytest

from helpers import ApiClient
from service.domain.casework import tasks as tasks_domain
from service.domain.core import audit
from service.extensions import db
from service.models import AuditEvent, Case


def _case_at_approve(officer, new_case):
    case = new_case()
    return officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                        json={"data": {"notes": "x"}}).get_json()


def _stored(case_id):
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    return case.state, case.version, case.stage


def test_a_failure_inside_the_engine_leaves_the_case_unchanged(officer, new_case, as_user):
    case = _case_at_approve(officer, new_case)
    before = _stored(case["id"])
    # `decision` is optional in the form but the gateway condition needs it: the engine fails mid-way.
    response = as_user("line_manager").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                            json={"data": {"report_to_police": True}})
    body = response.get_json()
    assert response.status_code == 422 and body["fields"] == {"decision": ["Select decision"]}, body
    assert "next step depends on it" in body["message"]
    assert _stored(case["id"]) == before
    again = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert again["ready_tasks"] == case["ready_tasks"]


def test_a_failure_after_the_engine_ran_rolls_everything_back(officer, new_case, as_user, monkeypatch):
    case = _case_at_approve(officer, new_case)
    before = _stored(case["id"])
    events_before = db.session.query(AuditEvent).count()

    def broken_record(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken_record)
    monkeypatch.setitem(officer.client.application.config, "PROPAGATE_EXCEPTIONS", False)
    response = as_user("line_manager").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                            json={"data": {"decision": "approve"}})
    assert response.status_code == 500 and response.get_json()["error"] == "server_error"
    monkeypatch.undo()
    assert _stored(case["id"]) == before
    assert db.session.query(AuditEvent).count() == events_before


def test_two_concurrent_completions_one_wins_one_conflicts(app, officer, new_case, monkeypatch):
    case = _case_at_approve(officer, new_case)
    task_id = case["ready_tasks"][0]["id"]
    managers = [ApiClient(app.test_client(), "line_manager"), ApiClient(app.test_client(), "all_roles")]
    barrier = threading.Barrier(2, timeout=10)
    original = tasks_domain.lock_task_and_case

    def lock_when_both_arrived(*args, **kwargs):
        barrier.wait()  # both requests are in; now both go for the case at once
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks_domain, "lock_task_and_case", lock_when_both_arrived)
    results = []

    def run(client):
        with app.app_context():
            response = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
            results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=run, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(code for code, _ in results) == [200, 409]
    conflict = next(body for code, body in results if code == 409)
    assert conflict["error"] == "conflict"
    completions = db.session.query(AuditEvent).filter_by(case_id=case["id"], action="task_completed",
                                                         task_id=task_id).count()
    assert completions == 1


def test_a_save_that_finds_the_case_saved_by_someone_else_since_it_was_read_is_a_conflict(
        officer, new_case, as_user, monkeypatch):
    """The case row's version guards the write: a save that lost the race changes nothing."""
    from sqlalchemy import text
    case = _case_at_approve(officer, new_case)
    before = _stored(case["id"])
    original = tasks_domain.lock_task_and_case

    def read_then_someone_else_saves(session, task_id):
        found = original(session, task_id)
        session.execute(text("UPDATE cases SET version = version + 1 WHERE id = :id"), {"id": case["id"]})
        return found

    monkeypatch.setattr(tasks_domain, "lock_task_and_case", read_then_someone_else_saves)
    response = as_user("line_manager").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                            json={"data": {"decision": "approve"}})
    assert response.status_code == 409, response.get_json()
    assert "someone else changed this case" in response.get_json()["message"].lower()
    monkeypatch.undo()
    assert _stored(case["id"]) == before
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["ready_tasks"] == case["ready_tasks"]


@pytest.mark.parametrize("database", ["memory", "file"])
def test_both_sqlite_flavours_run_a_case(tmp_path, database):
    from helpers import make_app
    app = make_app(tmp_path, database=database)
    client = app.test_client()
    officer = ApiClient(client, "case_officer")
    with app.app_context():
        case = officer.post("/api/v1/cases", json={"service_user_name": "A", "matter_reference": "M",
                                                   "incident_date": "2026-01-01", "wait_period": "P1D"}).get_json()
        done = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {"notes": "n"}})
        assert done.status_code == 200 and done.get_json()["ready_tasks"][0]["element_id"] == "approve"
        db.session.remove()
        db.engine.dispose()
