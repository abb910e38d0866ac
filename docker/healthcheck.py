"""Container health checks without curl: ``python docker/healthcheck.py web|worker``.

- web: ``GET /api/v1/health`` on this container answers 200 (the view checks the database).
- worker: the database answers and process 1 is still the worker.
Exit 0 healthy, 1 not (with one line saying why).
"""
from __future__ import annotations

import os
import sys
import urllib.request


def web() -> str | None:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/api/v1/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return None if response.status == 200 else f"health answered {response.status}"
    except OSError as error:
        return f"health check failed: {error}"


def worker() -> str | None:
    try:
        command = open("/proc/1/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except OSError as error:
        return f"cannot read process 1: {error}"
    if "worker" not in command:
        return f"process 1 is not the worker: {command}"
    import psycopg
    url = os.environ.get("DATABASE_URL", "").replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(url, connect_timeout=4) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"database unreachable: {error}"
    return None


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else "web"
    problem = {"web": web, "worker": worker}[kind]()
    if problem:
        print(problem)
        sys.exit(1)
