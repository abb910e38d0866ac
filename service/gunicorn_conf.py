"""gunicorn settings for production: ``gunicorn -c python:service.gunicorn_conf service.wsgi:app``.

Every value can be changed by an environment variable, so the same file
serves a laptop, a container and a node of a shared service:

- ``BOUNDARY_BIND`` (default ``0.0.0.0:$PORT``, ``PORT`` default 8000)
- ``WEB_CONCURRENCY``: worker processes; default two per CPU plus one, at most 8.
  Workers are synchronous: a completion is CPU work (the engine) plus a few
  short database round trips, so more workers than that only queue on the CPU.
- ``GUNICORN_TIMEOUT`` (30 s): a worker silent for longer is killed and
  replaced; its open transaction is rolled back by the database, so a killed
  completion changes nothing.
- ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s): on SIGTERM, how long workers may finish
  the requests they hold before they are killed.
- ``GUNICORN_ACCESS_LOG`` (``-`` = stdout; ``off`` to disable): one JSON line
  per request, carrying the same ``request_id`` as the application's own lines.

Metrics: when ``PROMETHEUS_MULTIPROC_DIR`` is unset this file makes a fresh
one, so ``/metrics`` adds up every worker's figures (see ``service/metrics.py``).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("BOUNDARY_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8))
worker_class = "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never takes a node down; the
# jitter keeps them from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Heartbeat files in memory: a container's overlay filesystem can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The reverse proxy in front sets X-Forwarded-*; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Bodies are JSON or one BPMN file: refuse absurd header sizes early.
limit_request_field_size = 8190

_access = os.environ.get("GUNICORN_ACCESS_LOG", "-")
accesslog = None if _access.lower() in {"off", "none", ""} else _access
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "service.logging.GunicornLogger"
proc_name = "boundary-web"
# gunicorn's control socket (one fixed path per user) would clash between
# several servers on one machine; turn it on explicitly if you use it.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "").lower() not in {"1", "on", "true", "yes"}


# -- no "Server: gunicorn" ----------------------------------------------------
# gunicorn always names itself and has no setting to stop it; a response that
# tells a prober the server and stack is one step of reconnaissance saved, so
# the line is dropped from the headers gunicorn writes itself.
def _without_server_header():
    from gunicorn.http import wsgi

    if getattr(wsgi.Response.default_headers, "boundary_quiet", False):
        return
    original = wsgi.Response.default_headers

    def default_headers(self):
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.boundary_quiet = True  # type: ignore[attr-defined]  # marks the patch as ours
    wsgi.Response.default_headers = default_headers


_without_server_header()

# -- metrics across workers ---------------------------------------------------
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="boundary-metrics-")


def on_starting(server):
    """Start every run with empty metric files: old ones would add stale counts."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    try:
        from prometheus_client import multiprocess
    except ImportError:  # pragma: no cover - metrics are optional
        return
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if os.path.basename(folder).startswith("boundary-metrics-"):
        shutil.rmtree(folder, ignore_errors=True)
