"""gunicorn as production runs it, and the CPU its processes (and the database server's) used."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_setup import CHECKOUT, FIXTURES, PROCESS, SECRET
from load_clients import request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """``gunicorn -c python:service.gunicorn_conf service.wsgi:app`` as production runs it."""

    def __init__(self, url: str, workers: int = 2, workflows: Path = FIXTURES, forms: Path = FIXTURES / "forms",
                 process: str = PROCESS, extra_env: dict | None = None):
        self.port = free_port()
        self.logs = Path(tempfile.mkdtemp(prefix="boundary-bench-logs-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOUNDARY_", "PROMETHEUS_"))}
        env.update({"BOUNDARY_ENV": "production", "DATABASE_URL": url, "SECRET_KEY": SECRET,
                    "BOUNDARY_WORKFLOWS_DIR": str(workflows), "BOUNDARY_FORMS_DIR": str(forms),
                    "BOUNDARY_DEFAULT_PROCESS": process, "BOUNDARY_BIND": f"127.0.0.1:{self.port}",
                    "WEB_CONCURRENCY": str(workers), **(extra_env or {})})
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "-c", "python:service.gunicorn_conf", "service.wsgi:app"], cwd=CHECKOUT, env=env,
            stdout=open(self.logs / "out.log", "wb"), stderr=open(self.logs / "err.log", "wb"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.logs / "err.log").read_text()[-3000:])
            try:
                if request(self.port, "GET", "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.0)  # let every worker finish booting (each parses the deployed BPMN once)

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _processes():
    """(pid, parent pid, command name) of every process still there."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, rest = stat.split("(", 1)[1].rsplit(")", 1)
            yield int(entry), int(rest.split()[1]), name


def child_pids(pid: int) -> list[int]:
    return [child for child, parent, _ in _processes() if parent == pid]


def database_server_pids() -> list[int]:
    """Every PostgreSQL process on the machine (the benchmark's server is meant to be the only one)."""
    return [pid for pid, _, name in _processes() if name == "postgres"]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total
