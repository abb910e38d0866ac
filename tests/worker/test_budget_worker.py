"""The worker as its own process against diagram code that spins (issue #19, item 2).

Before the budget a script ``while True: pass`` on a timer path held the worker
for ever: no other case's timers fired, SIGTERM was ignored, and a restart met
the same due timer and wedged again. Now the script stops at its deadline, the
case becomes an incident, the other cases fire, SIGTERM ends the worker within
seconds even mid-evaluation, and a restarted worker goes on with the rest.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from budget_diagram import budget_workflows
from helpers import ApiClient, make_app
from service.engine import clock
from service.extensions import db
from service.models import AuditEvent, TimerFailure
from worker.test_sweep import waiting_case

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.slow


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, workflows=budget_workflows(tmp_path / "workflows"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _worker(app):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "BOUNDARY_ENV": "testing",
           "SECRET_KEY": "k" * 40, "BOUNDARY_WORKFLOWS_DIR": str(app.config["WORKFLOWS_DIR"]),
           "BOUNDARY_FORMS_DIR": str(app.config["FORMS_DIR"]), "BOUNDARY_WORKER_POLL_SECONDS": "0.2",
           "BOUNDARY_SCRIPT_SECONDS": "2", "BOUNDARY_SCRIPT_STEPS": "1000000000"}
    return subprocess.Popen([sys.executable, "-m", "service.worker"], cwd=CHECKOUT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = check()
        db.session.remove()
        if done:
            return True
        time.sleep(0.05)
    return False


def _fired(case_id) -> bool:
    return db.session.query(AuditEvent).filter_by(case_id=case_id, action="timer_fired").count() == 1


def _incident(case_id) -> bool:
    failure = db.session.get(TimerFailure, case_id)
    return failure is not None and failure.is_incident


def _stop_within(worker, seconds: float) -> float:
    started = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(seconds)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(10)
        pytest.fail(f"the worker ignored SIGTERM for {seconds} s")
    return time.monotonic() - started


def test_a_spinning_script_becomes_an_incident_and_the_worker_goes_on_and_stops_on_sigterm(app, as_user):
    officer, manager = as_user("case_officer"), as_user("line_manager")
    ids = {}
    for name, behaviour in (("spins", ["verbal_abuse"]), ("ordinary", []), ("spins_too", ["verbal_abuse"])):
        ids[name] = waiting_case(officer, manager, behaviour_types=behaviour)["id"]  # due in this order
        clock.advance(timedelta(minutes=1))
    db.session.remove()
    clock.reset()  # the worker runs on real time: every timer is long past due
    worker = _worker(app)
    try:
        assert _wait_for(lambda: _incident(ids["spins"]) and _fired(ids["ordinary"]), 30)
        time.sleep(0.5)  # the worker is now inside the second spinning script
        assert _stop_within(worker, 8) < 6
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0
    failure = db.session.get(TimerFailure, ids["spins"])
    assert "went over its budget" in failure.last_error and "after_wait" in failure.last_error
    assert db.session.query(AuditEvent).filter_by(case_id=ids["spins"], action="timer_failed").count() == 1
    assert not _fired(ids["spins"])

    # A restarted worker does not wedge on the same timers: it fires a new ordinary case at once.
    clock.freeze(clock.now() - timedelta(days=3))  # its timer is due by real time too
    officer, manager = (ApiClient(app.test_client(), name) for name in ("case_officer", "line_manager"))
    later = waiting_case(officer, manager, behaviour_types=[])["id"]
    db.session.remove()
    clock.reset()
    worker = _worker(app)
    try:
        assert _wait_for(lambda: _fired(later), 20)
        assert _stop_within(worker, 8) < 6
    finally:
        if worker.poll() is None:
            worker.kill()
