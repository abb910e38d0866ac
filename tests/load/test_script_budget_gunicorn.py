"""Through real gunicorn workers: diagram code over budget answers 422 in seconds (issue #19, item 2).

Before the budget, ``10**10**10`` or a billion-step condition held the worker
until gunicorn killed it (a 500 after 30 s); now the request answers 422
naming the task, the supervisors' incident names the gateway and the budget,
the worker serves the next request, and nothing changed.
"""
from __future__ import annotations

import sqlite3
import time

import pytest

from budget_diagram import budget_workflows
from helpers import make_app
from load_support import SECRET, GunicornServer, complete, request

pytestmark = pytest.mark.slow

START = {"service_user_name": "A", "matter_reference": "M", "incident_date": "2026-03-01", "wait_period": "P1D"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from service.domain.core.transaction import transaction
    from service.domain.people import users
    from service.engine import clock
    from service.extensions import db
    folder = tmp_path_factory.mktemp("budget")
    workflows = budget_workflows(folder / "workflows")
    url = f"sqlite:///{folder / 'boundary.sqlite'}"
    clock.reset()  # gunicorn runs on the real clock
    app = make_app(folder, database=url, workflows=workflows)
    with app.app_context():
        with transaction(db.session):
            tokens = {name: users.issue_token(db.session, users.find_user(db.session, name), 12)
                      for name in ("case_officer", "line_manager")}
        db.session.remove()
        db.engine.dispose()
    server = GunicornServer(url, folder, workers=1, extra_env={
        "BOUNDARY_WORKFLOWS_DIR": str(workflows), "BOUNDARY_SCRIPT_SECONDS": "1.5",
        "BOUNDARY_SCRIPT_STEPS": "1000000000", "SECRET_KEY": SECRET})
    yield server.port, tokens, folder / "boundary.sqlite"
    server.stop()


def _at_approval(port, tokens, behaviour):
    status, case = request(port, "POST", "/api/v1/cases", {**START, "behaviour_types": behaviour},
                           tokens["case_officer"])
    assert status == 201, case
    status, case = complete(port, tokens["case_officer"], case["ready_tasks"][0]["id"], {"notes": "n"})
    assert status == 200, case
    return case


@pytest.mark.parametrize("behaviour, reason", [(["threats"], "power"), (["violence"], "1.5 seconds")])
def test_a_condition_over_budget_answers_422_naming_the_gateway_within_seconds(served, behaviour, reason):
    port, tokens, database = served
    case = _at_approval(port, tokens, behaviour)
    task_id = case["ready_tasks"][0]["id"]
    started = time.monotonic()
    status, body = complete(port, tokens["line_manager"], task_id, {"decision": "approve"}, timeout=20)
    assert status == 422, body
    assert time.monotonic() - started < 5
    assert body["error"] == "case_could_not_move_on" and "\u201cApprove\u201d" in body["message"]
    assert "went over its budget" in body["message"] and reason in body["message"] and "(decide)" in body["message"]
    with sqlite3.connect(database) as connection:
        [(error,)] = connection.execute("SELECT error FROM engine_incidents WHERE case_id = ?", (case["id"],))
    assert "went over its budget" in error and reason in error and "(decide)" in error
    status, after = request(port, "GET", f"/api/v1/cases/{case['id']}", token=tokens["line_manager"])
    assert status == 200 and after["ready_tasks"][0]["id"] == task_id  # nothing changed; the task still waits
    # The same worker answers the next request at once, and ordinary cases go on.
    ordinary = _at_approval(port, tokens, [])
    status, body = complete(port, tokens["line_manager"], ordinary["ready_tasks"][0]["id"], {"decision": "approve"})
    assert status == 200 and body["stage"] == "monitoring"
