"""Prometheus metrics at ``/metrics``: request latency, task completions, case events, timer lag.

Under gunicorn each worker is its own process: with ``PROMETHEUS_MULTIPROC_DIR``
set (``service/gunicorn_conf.py`` sets it) every worker writes its figures
there and ``/metrics`` adds them up, whichever worker answers. Without it
(tests, one process) the process's own registry is served.

Completions and other case events are counted from the audit events a
transaction commits, so every way of changing a case (API, web pages, the
timer worker) is counted once, and a rolled-back change is never counted.

``BOUNDARY_METRICS=off`` removes the endpoint. It needs no token: expose it
to your Prometheus only (the reverse proxy should not route ``/metrics``).
"""
from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from .models.statuses import TaskStatus

REQUEST_LATENCY = Histogram(
    "boundary_http_request_duration_seconds", "Time to answer an HTTP request, by endpoint and status",
    ["method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
TASK_COMPLETIONS = Counter(
    "boundary_task_completions_total", "Human tasks completed (committed), by BPMN element", ["element_id"])
CASE_EVENTS = Counter(
    "boundary_case_events_total", "Committed audit events, by action (case_started, task_completed, ...)",
    ["action"])

_PENDING = "boundary.metrics.events"
_listening = False


def init_metrics(app: Flask) -> None:
    _listen_for_commits()
    if not app.config.get("METRICS", True):
        return

    @app.before_request
    def _start():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.get("metrics_started")
        if started is not None:
            endpoint = request.endpoint or "unmatched"
            REQUEST_LATENCY.labels(request.method, endpoint, str(response.status_code)).observe(
                time.perf_counter() - started)
        return response

    app.add_url_rule("/metrics", "metrics", _metrics_view)


def _metrics_view():
    database = CollectorRegistry(auto_describe=False)
    database.register(_DatabaseCollector())
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        from prometheus_client import multiprocess
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers, path=folder)
    else:
        from prometheus_client import REGISTRY
        workers = REGISTRY
    return Response(generate_latest(workers) + generate_latest(database), mimetype=CONTENT_TYPE_LATEST)


class _DatabaseCollector:
    """Figures read from the database at scrape time (cheap indexed queries)."""

    def collect(self):
        from flask import has_app_context

        from .engine import clock
        from .extensions import db
        from .models import TaskRecord, TimerRecord

        if not has_app_context():
            return
        now = clock.now()
        oldest_due = db.session.scalar(select(func.min(TimerRecord.due_at)).where(TimerRecord.due_at <= now))
        lag = GaugeMetricFamily("boundary_timer_lag_seconds",
                                "How long the most overdue timer has been due and not fired (0: none)")
        lag.add_metric([], max((now - oldest_due).total_seconds(), 0.0) if oldest_due else 0.0)
        yield lag
        ready = GaugeMetricFamily("boundary_ready_tasks", "Human tasks waiting for someone")
        ready.add_metric([], db.session.scalar(select(func.count()).select_from(TaskRecord)
                                               .where(TaskRecord.status == TaskStatus.READY)) or 0)
        yield ready
        db.session.rollback()


def _listen_for_commits() -> None:
    global _listening
    if _listening:
        return
    from .domain.core import audit

    def _pending(session, action, _case_id, element_id):
        session.info.setdefault(_PENDING, []).append((action, element_id))

    audit.on_record(_pending)

    @event.listens_for(Session, "after_commit")
    def _committed(session):
        for action, element_id in session.info.pop(_PENDING, ()):
            CASE_EVENTS.labels(action).inc()
            if action == "task_completed":
                TASK_COMPLETIONS.labels(element_id or "unknown").inc()

    @event.listens_for(Session, "after_rollback")
    def _rolled_back(session):
        session.info.pop(_PENDING, None)

    _listening = True
