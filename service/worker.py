"""The timer worker: ``flask --app service worker`` or ``boundary-worker``.

Sweeps due timers (and, once an hour, purges cases past retention), emails staff about
new tasks and delivers the outbox, then sleeps until the next due time (a timer or an
email's next attempt) or the poll interval, whichever is sooner. Stops cleanly on SIGTERM or Ctrl+C:
the sweep stops between cases, and diagram code in hand ends within its time budget
(``BOUNDARY_SCRIPT_SECONDS``), so a stop takes a few seconds at most.
"""
from __future__ import annotations

import os
import signal
import threading
from datetime import timedelta

from sqlalchemy import func, select

from .domain.casework.timers import sweep
from .domain.core.transaction import transaction
from .domain.correspondence.mail_delivery import deliver_due, next_attempt_at
from .domain.correspondence.notifications import announce_new_tasks
from .domain.data_protection.retention import purge_due
from .domain.people import sessions
from .engine import clock
from .extensions import db
from .models import Case
from .models.statuses import CaseStatus
from .services import context

_stop = threading.Event()


def run(app, once: bool = False) -> None:
    signal.signal(signal.SIGTERM, lambda *_: _stop.set())
    poll = float(app.config.get("WORKER_POLL_SECONDS", 5.0))
    parent = os.environ.get("BOUNDARY_WORKER_PARENT")
    while not _stop.is_set():
        if parent and not _alive(int(parent)):
            return  # started by `make run` beside the web server, which has stopped
        with app.app_context():
            results = sweep(context(), stop=_stop.is_set)
            for case_id, outcome in results.items():
                app.logger.info("case %s timers: %s", case_id, outcome)
            if _stop.is_set():
                db.session.remove()
                return
            _purge_if_due(app)
            _step(app, "task emails queued", announce_new_tasks)
            _step(app, "emails delivered", deliver_due)
            dues = [db.session.scalar(select(func.min(Case.next_timer_at)).where(Case.status == CaseStatus.ACTIVE)),
                    next_attempt_at(db.session)]
            next_due = min((d for d in dues if d is not None), default=None)
            db.session.remove()
        if once:
            return
        wait = poll if next_due is None else max(0.1, min(poll, (next_due - clock.now()).total_seconds()))
        _stop.wait(wait)


_RETENTION_EVERY = timedelta(hours=1)
_last_purge: list = []  # when this worker last ran the retention purge


def _purge_if_due(app) -> None:
    """Once an hour: purge closed cases past their retention period (each in its own transaction)."""
    now = clock.now()
    if _last_purge and now - _last_purge[-1] < _RETENTION_EVERY:
        return
    _last_purge[:] = [now]
    try:
        purged = purge_due(context())
    except Exception:  # a failed purge is retried next hour; the timers must go on
        db.session.rollback()
        app.logger.exception("retention purge failed")
        return
    if purged:
        app.logger.info("retention: purged %d closed case(s)", len(purged))
    try:  # and the rows of sessions that have ended (people who never signed in again)
        with transaction(db.session):
            sessions.forget_ended(db.session, timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
                                  timedelta(hours=app.config["SESSION_LIFETIME_HOURS"]))
    except Exception:  # tried again next hour
        app.logger.exception("forgetting ended sessions failed")


def _step(app, name: str, step) -> None:
    """One email step, isolated: its failure is logged and tried again next sweep."""
    try:
        result = step(context())
    except Exception:
        db.session.rollback()
        app.logger.exception("%s: failed", name)
        return
    if result:
        app.logger.info("%s: %s", name, result)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> None:
    from . import create_app
    try:
        run(create_app())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
