"""The worker as its own process: kill -9 mid-sweep loses nothing and fires nothing twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import FIXTURES, ApiClient
from service.domain.casework.timers import sweep
from service.engine import clock
from service.extensions import db
from service.models import AuditEvent
from service.services import context
from worker.test_sweep import waiting_case

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_kill_9_mid_sweep_then_the_next_sweep_fires_the_rest_once(app, as_user):
    officer, manager = as_user("case_officer"), as_user("line_manager")
    ids = [waiting_case(officer, manager)["id"] for _ in range(120)]  # due on 3 March 2026: long past for real time
    db.session.remove()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "BOUNDARY_ENV": "testing",
           "SECRET_KEY": "k" * 40, "BOUNDARY_WORKFLOWS_DIR": str(FIXTURES / "workflows"),
           "BOUNDARY_FORMS_DIR": str(FIXTURES / "forms"), "BOUNDARY_WORKER_POLL_SECONDS": "0.2"}
    worker = subprocess.Popen([sys.executable, "-m", "service.worker"], cwd=CHECKOUT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = db.session.query(AuditEvent).filter_by(action="timer_fired").count()
            db.session.remove()
            if done >= 10:
                break
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    fired_by_worker = db.session.query(AuditEvent).filter_by(action="timer_fired").count()
    assert 10 <= fired_by_worker < len(ids), "the kill should land mid-sweep"
    clock.reset()  # the next worker runs on real time too
    while sweep(context()):
        pass
    counts = [db.session.query(AuditEvent).filter_by(case_id=i, action="timer_fired").count() for i in ids]
    assert counts == [1] * len(ids)
    ApiClient(app.test_client(), "case_officer")  # the service still answers
