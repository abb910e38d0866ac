"""The escalation served the way ``make run`` serves it: two gunicorn workers and the timer worker (issue #17).

Each request goes over a fresh loopback connection, so the workers share them
out as they would for real users; a case whose behaviour depends on which
worker served an earlier request fails here. Several fixed ``PYTHONHASHSEED``
values vary the processes' dictionaries and sets, as separate starts would.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import CHECKOUT
from http_client import HttpClient
from journeys import full_escalation, many_contacts, monitoring_refuses_contacts, strategy_with_equality_task_open
from load_support import free_port
from process_driver import Driver

BIN = Path(sys.executable).parent


class MakeRun:
    """``flask --app service setup`` then ``python -m service.devserver``, as ``make run`` does."""

    def __init__(self, tmp_path: Path, hash_seed: int):
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BOUNDARY_")}
        self.env.update({"BOUNDARY_ENV": "development", "PORT": str(self.port), "PYTHONHASHSEED": str(hash_seed),
                         "DATABASE_URL": f"sqlite:///{tmp_path / 'boundary.sqlite'}",
                         "BOUNDARY_LOG_LEVEL": "WARNING"})
        subprocess.run([str(BIN / "flask"), "--app", "service", "setup"], cwd=CHECKOUT, env=self.env, check=True,
                       capture_output=True, timeout=120)
        self.log = open(tmp_path / "server.log", "wb")
        self.process = subprocess.Popen([str(BIN / "python"), "-m", "service.devserver"], cwd=CHECKOUT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.client = HttpClient(self.port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.client.get("/api/v1/health").status_code == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("make run's server did not answer within 60 s")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


@pytest.fixture(params=[0, 1, 4242], ids=lambda seed: f"PYTHONHASHSEED={seed}")
def served(request, tmp_path):
    server = MakeRun(tmp_path, request.param)
    yield server
    server.stop()
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


def test_long_lived_case_full_escalation_and_scoped_messages(served):
    long_lived = strategy_with_equality_task_open(Driver(served.client))
    many_contacts(long_lived, 50)
    full_escalation(Driver(served.client))
    monitoring_refuses_contacts(Driver(served.client))
