"""Timers fire on time, exactly once, from the indexed rows; one broken case never stops the sweep."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from helpers import ApiClient
from service.domain.casework.timers import MAX_ATTEMPTS, due_case_ids, list_incidents, retry_incident, sweep
from service.domain.core.transaction import transaction
from service.engine import clock
from service.extensions import db
from service.models import AuditEvent, Case
from service.services import context

START = {"service_user_name": "A", "matter_reference": "M", "incident_date": "2026-03-01", "wait_period": "P1D"}


def waiting_case(officer, manager, **extra):
    case = officer.post("/api/v1/cases", json={**START, **extra}).get_json()
    case = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {"notes": "n"}}).get_json()
    return manager.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                        json={"data": {"decision": "approve"}}).get_json()


def fired(case_id):
    return db.session.query(AuditEvent).filter_by(case_id=case_id, action="timer_fired").count()


def test_a_due_timer_fires_once_and_nothing_before(app, as_user):
    case = waiting_case(as_user("case_officer"), as_user("line_manager"))
    assert sweep(context()) == {}  # nothing due yet: one indexed query, nothing loaded
    clock.advance(timedelta(hours=23))
    assert due_case_ids(db.session) == []
    clock.advance(timedelta(hours=2))
    assert sweep(context()) == {case["id"]: ["timed_out"]}
    assert sweep(context()) == {}
    assert fired(case["id"]) == 1
    after = ApiClient(app.test_client(), "case_officer").get(f"/api/v1/cases/{case['id']}").get_json()
    assert [t["element_id"] for t in after["ready_tasks"]] == ["follow_up"] and after["waiting"] == []


def test_a_timer_due_while_the_worker_was_down_fires_once_when_it_returns(app, as_user):
    case = waiting_case(as_user("case_officer"), as_user("line_manager"))
    clock.advance(timedelta(days=30))  # the worker was down for a month
    assert list(sweep(context())) == [case["id"]]
    assert sweep(context()) == {} and fired(case["id"]) == 1


@pytest.mark.slow  # 200 cases through the API, then two racing sweeps
def test_two_workers_racing_fire_each_timer_exactly_once(app, as_user):
    officer, manager = as_user("case_officer"), as_user("line_manager")
    ids = [waiting_case(officer, manager)["id"] for _ in range(200)]
    clock.advance(timedelta(days=2))
    db.session.remove()

    def worker():
        with app.app_context():
            for _ in range(3):
                sweep(context())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [fired(case_id) for case_id in ids] == [1] * len(ids)


def test_a_failing_case_backs_off_then_becomes_an_incident_a_supervisor_retries(app, as_user):
    case = waiting_case(as_user("case_officer"), as_user("line_manager"))
    good_state = db.session.get(Case, case["id"]).state
    row = db.session.get(Case, case["id"])
    row.state = "{not json"
    db.session.commit()
    clock.advance(timedelta(days=2))
    attempts = 0
    for _ in range(12):  # retried after 1, 2, 4, 8 minutes, then an incident
        attempts += case["id"] in sweep(context())
        clock.advance(timedelta(minutes=20))
    assert attempts == MAX_ATTEMPTS
    [incident] = list_incidents(db.session)
    assert incident.case_id == case["id"] and "JSONDecodeError" in incident.last_error
    row = db.session.get(Case, case["id"])
    row.state = good_state  # the cause is mended
    db.session.commit()
    with transaction(db.session):
        retry_incident(context(), "supervisor", case["id"], "State restored from backup")
    assert sweep(context()) == {case["id"]: ["timed_out"]} and list_incidents(db.session) == []


def test_overdue_tasks_are_recorded_once(app, as_user):
    case = waiting_case(as_user("case_officer"), as_user("line_manager"))
    clock.advance(timedelta(days=2))
    sweep(context())  # the timer brings follow_up, due in ten days
    clock.advance(timedelta(days=11))
    sweep(context())
    sweep(context())
    events = db.session.query(AuditEvent).filter_by(case_id=case["id"], action="task_overdue").all()
    assert [e.element_id for e in events] == ["follow_up"]
    task = ApiClient(app.test_client(), "case_officer").get("/api/v1/tasks").get_json()["items"][0]
    assert task["overdue"] is True


def test_timers_are_right_whatever_the_host_time_zone(app, as_user, monkeypatch):
    import time
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        case = waiting_case(as_user("case_officer"), as_user("line_manager"))
        [timer] = [w for w in case["waiting"] if w["name"] == "timed_out"]
        assert timer["due_at"] == "2026-03-03T09:00:00+00:00"
        clock.advance(timedelta(hours=23, minutes=59))
        assert sweep(context()) == {}
        clock.advance(timedelta(minutes=2))
        assert list(sweep(context())) == [case["id"]]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_broken_case_does_not_stop_the_sweep(app, as_user):
    officer, manager = as_user("case_officer"), as_user("line_manager")
    good = waiting_case(officer, manager)
    broken = waiting_case(officer, manager)
    row = db.session.get(Case, broken["id"])
    row.state = "{not json"
    db.session.commit()
    clock.advance(timedelta(days=2))
    results = sweep(context())
    assert results[good["id"]] == ["timed_out"]
    assert "JSONDecodeError" in results[broken["id"]]
    assert db.session.get(Case, broken["id"]).state == "{not json"  # rolled back, retried next sweep


def test_a_due_period_setting_overrides_the_diagram(tmp_path):
    from helpers import make_app
    app = make_app(tmp_path, TASK_DUE={"first_review": "P2D"})
    with app.app_context():
        officer = ApiClient(app.test_client(), "case_officer")
        case = officer.post("/api/v1/cases", json=START).get_json()
        assert case["ready_tasks"][0]["due_at"] == "2026-03-04T09:00:00+00:00"
        db.session.remove()
        db.engine.dispose()


def test_two_workers_finding_the_same_overdue_task_record_it_once(app, as_user):
    """Both selected the task before either marked it: only the first claim counts."""
    from service.domain.casework.timers import _claim_overdue
    from service.models import TaskRecord
    case = waiting_case(as_user("case_officer"), as_user("line_manager"))
    clock.advance(timedelta(days=2))
    sweep(context())
    task = db.session.query(TaskRecord).filter_by(case_id=case["id"], status="ready").one()
    with transaction(db.session):
        assert _claim_overdue(db.session, task.id) is True
    with transaction(db.session):
        assert _claim_overdue(db.session, task.id) is False
