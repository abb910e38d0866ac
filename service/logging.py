"""Structured logs: one JSON object per line, each tied to its request.

Every request gets a request id: the caller's ``X-Request-ID`` when it is a
sane token (a proxy or gateway sets it), otherwise a fresh one; it comes back
in the response's ``X-Request-ID``. Every log line written while the request
runs carries ``request_id``, ``user`` (once known) and ``case_id`` (once a
case is known: from the URL or from the audit events the request writes), and
each request ends with one ``request`` line with status and duration.

``BOUNDARY_LOG_FORMAT`` chooses ``json`` (default in production) or ``text``;
``BOUNDARY_LOG_LEVEL`` the level. gunicorn's own lines (errors and its access
log) use the same JSON shape through ``GunicornLogger``.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request
from gunicorn.glogging import Logger as _GunicornBaseLogger

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
_HANDLER_MARK = "_boundary_handler"
request_log = logging.getLogger("boundary.request")

# Attributes every LogRecord has; anything else on a record is a field of ours.
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, request fields, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(entry, default=str, separators=(",", ":"))


class RequestContextFilter(logging.Filter):
    """Adds request_id, user and case_id to records written inside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            for key, value in request_fields().items():
                if getattr(record, key, None) is None:
                    setattr(record, key, value)
        return True


def request_fields() -> dict:
    case_ids = sorted(g.get("boundary_case_ids") or ())
    view_case = (request.view_args or {}).get("case_id")
    if view_case is not None and view_case not in case_ids:
        case_ids.insert(0, view_case)
    return {"request_id": g.get("request_id"), "user": current_username(),
            "case_id": case_ids[0] if len(case_ids) == 1 else (case_ids or None)}


def remember_user(user) -> None:
    """Note who the request is for as it is authenticated, so log lines written
    after the commit (which expires every loaded row) never reload the user."""
    g.boundary_username = user.username


def current_username() -> str | None:
    """The API's token user or the signed-in web user, without loading anyone."""
    if g.get("boundary_username"):
        return g.boundary_username
    user = g.get("user") or g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # Only what is already loaded: reading an expired attribute would query the database.
    loaded = getattr(user, "__dict__", {})
    return loaded.get("username")


def note_case(case_id: int | None) -> None:
    """Tell the request's log lines which case it concerns."""
    if case_id is not None and has_request_context():
        g.setdefault("boundary_case_ids", set()).add(case_id)


def configure(level: str = "INFO", fmt: str = "json") -> None:
    """Install one stderr handler on the root logger (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s", defaults={"request_id": "-"}))
    handler.addFilter(RequestContextFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # SpiffWorkflow logs every task state change with the case's data at INFO:
    # personal data in the logs, and a line per task per request. Only on DEBUG.
    logging.getLogger("spiff").setLevel(logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING)


def init_logging(app: Flask) -> None:
    """Request ids in and out, a ``request`` line per request, and the log format."""
    if not app.config.get("TESTING"):
        configure(str(app.config.get("LOG_LEVEL") or "INFO"), str(app.config.get("LOG_FORMAT") or "json"))
    # Flask's own logger would add a second (plain text) handler in debug mode.
    app.logger.propagate = True
    # Alembic's fileConfig (migrations/env.py) disables every logger that exists when
    # it runs; a process that migrated and then serves must still write request lines
    # and the app's own warnings.
    request_log.disabled = False
    app.logger.disabled = False
    _listen_for_cases()

    @app.before_request
    def _start():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 2) if started else None
        if request.endpoint != "static":
            request_log.info("%s %s %s", request.method, request.path, response.status_code,
                             extra={"method": request.method, "path": request.path,
                                    "status": response.status_code, "duration_ms": duration,
                                    "remote": request.remote_addr})
        return response


_listening = False


def _listen_for_cases() -> None:
    """Every audit event names its case: note it for the request's log lines."""
    global _listening
    if _listening:
        return
    from .domain.core import audit

    audit.on_record(lambda _session, _action, case_id, _element_id: note_case(case_id))
    _listening = True


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's error and access logs as JSON lines in the application's shape."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {k.lower(): v for k, v in (resp.headers or [])}
        try:
            status = int(status)
        except (TypeError, ValueError):
            pass
        # The path without its query string: searches and filters carry people's names there.
        path = (environ.get("RAW_URI") or environ.get("PATH_INFO") or "").split("?", 1)[0]
        self.access_log.info("%s %s %s", environ.get("REQUEST_METHOD"), path, status, extra={
            "request_id": headers.get("x-request-id"), "remote": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"), "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        })
