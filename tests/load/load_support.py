"""A real gunicorn serving Boundary on loopback, and a small HTTP client for load tests.

``prepared_database`` builds a database from Python (schema, the fixture
workflows, demo users, ``cases`` cases waiting at their first task, tokens);
``GunicornServer`` then serves it with real worker processes, exactly as
production does (``-c python:service.gunicorn_conf``, ``BOUNDARY_ENV=production``).
Traffic only ever goes to 127.0.0.1, and every loop is bounded.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import CHECKOUT, FIXTURES, make_app

INCIDENT = {"service_user_name": "Load Test", "matter_reference": "L-1", "incident_date": "2026-03-01",
            "wait_period": "P1D"}
SECRET = "load-test-secret-" + "s" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Prepared:
    url: str
    case_ids: list[int]
    first_tasks: dict[int, str]  # case id -> its ready task (first_review)
    tokens: dict[str, str] = field(default_factory=dict)


def prepared_database(tmp_path: Path, url: str, cases: int, users=("case_officer", "line_manager", "all_roles")):
    """Schema + fixture workflows + demo users + ``cases`` started cases + a token per user."""
    from service.domain.casework import cases as cases_domain
    from service.domain.core.transaction import transaction
    from service.domain.people import users as users_domain
    from service.engine import clock
    from service.extensions import db
    from service.services import context
    clock.reset()  # gunicorn runs on the real clock: tokens and cases must be of now, not of a frozen test day
    app = make_app(tmp_path, database=url)
    with app.app_context():
        officer = users_domain.find_user(db.session, "case_officer")
        ids, first = [], {}
        for start in range(0, cases, 100):
            with transaction(db.session):
                batch = [cases_domain.start_case(context(), officer, {**INCIDENT, "matter_reference": f"L-{n}"})
                         for n in range(start, min(start + 100, cases))]
            for case in batch:
                ids.append(case.id)
        from sqlalchemy import select

        from service.models import TaskRecord
        for case_id, task_id in db.session.execute(select(TaskRecord.case_id, TaskRecord.id)
                                                   .where(TaskRecord.status == "ready")):
            first[case_id] = task_id
        tokens = {}
        with transaction(db.session):
            for name in users:
                tokens[name] = users_domain.issue_token(db.session, users_domain.find_user(db.session, name), 12)
        db.session.remove()
        db.engine.dispose()
    return Prepared(url, ids, first, tokens)


class GunicornServer:
    """``gunicorn -c python:service.gunicorn_conf service.wsgi:app`` on a free loopback port."""

    def __init__(self, database_url: str, log_dir: Path, workers: int = 2, extra_env: dict | None = None):
        self.port = free_port()
        self.log_dir = log_dir
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOUNDARY_", "PROMETHEUS_"))}
        env.update({
            "BOUNDARY_ENV": "production", "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
            "BOUNDARY_WORKFLOWS_DIR": str(FIXTURES / "workflows"), "BOUNDARY_FORMS_DIR": str(FIXTURES / "forms"),
            "BOUNDARY_DEFAULT_PROCESS": "fixture_process", "BOUNDARY_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers), "GUNICORN_ACCESS_LOG": "off", "BOUNDARY_LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        })
        self.stdout = open(log_dir / "gunicorn.out", "wb")
        self.stderr = open(log_dir / "gunicorn.err", "wb")
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen([gunicorn, "-c", "python:service.gunicorn_conf", "service.wsgi:app"],
                                        cwd=CHECKOUT, env=env, stdout=self.stdout, stderr=self.stderr)
        self.wait_ready(workers)

    def wait_ready(self, workers: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            try:
                if request(self.port, "GET", "/api/v1/health", timeout=2)[0] == 200 and \
                        len(self.worker_pids()) >= workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become ready: {self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The master's live children, read from /proc (field 4 of stat is the parent)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                found.append(int(stat.parent.name))
        return sorted(found)

    def log_tail(self, lines: int = 30) -> str:
        self.stderr.flush()
        text = (self.log_dir / "gunicorn.err").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.stdout.close()
        self.stderr.close()


def request(port: int, method: str, path: str, body: dict | None = None, token: str | None = None,
            timeout: float = 30) -> tuple[int, dict | None]:
    """One HTTP request on a fresh loopback connection; (status, JSON body or None)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        return response.status, payload
    finally:
        connection.close()


def complete(port: int, token: str, task_id: str, data: dict, timeout: float = 30) -> tuple[int, dict | None]:
    return request(port, "POST", f"/api/v1/tasks/{task_id}/complete", {"data": data}, token, timeout)


def load_seconds(default: float = 10.0) -> float:
    """``BOUNDARY_LOAD_SECONDS`` stretches the timed load tests (the issue's figure is 30)."""
    return float(os.environ.get("BOUNDARY_LOAD_SECONDS") or default)
