"""Retention: closed cases are purged after ``RETENTION_PERIOD`` (six years by default).

Purging a case deletes everything about the person (the case row and, by the
database's cascades, its tasks, timers, contact log, letters, emails and
disclosure records) and keeps what the yearly figures need: one ``PurgedCase``
row (process, final stage, outcome, when it opened and closed) and the case's
audit events with their personal data stripped down to ``REPORT_FIELDS``, the
answers the reports count (a breach found, a police referral, a dispute's
outcome). So a report for any past period gives the same figures after a purge
as before. Each case is purged in its own transaction; a dry run lists what
would go and changes nothing.

On SQLite a deleted row lives on in the write-ahead log (``-wal`` file) until a
checkpoint copies the pages back, and in freed pages of the database file:
connections run with ``secure_delete`` on (``services._sqlite_pragmas``) and a
purge ends with a truncating checkpoint, so the person's data leaves the disk.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import isodate
from sqlalchemy import select, update

from ...engine import clock
from ...models import AuditEvent, Case, PurgedCase
from ..core import audit
from ..core.audit import AuditAction
from ..core.transaction import transaction

if TYPE_CHECKING:
    from ..core.context import Context, Session

CLOSED_STATUSES = ("closed", "terminated")
# The only answers kept on a purged case's audit events: what reports.yearly_report reads.
REPORT_FIELDS = ("name", "is_breach", "report_to_police", "outcome", "timers")


@dataclass(frozen=True)
class PurgeCandidate:
    case_id: int
    status: str
    stage: str
    outcome: str | None
    closed_at: datetime


def cutoff(settings: dict[str, Any], now: datetime | None = None) -> datetime:
    """Cases closed before this moment are past their retention period."""
    return (now or clock.now()) - isodate.parse_duration(  # type: ignore[no-any-return]  # isodate is untyped
        str(settings.get("RETENTION_PERIOD") or "P6Y"))


def due(session: Session, settings: dict[str, Any], limit: int | None = None) -> list[PurgeCandidate]:
    """The dry run: closed cases past their retention period, longest closed first."""
    query = (select(Case.id, Case.status, Case.stage, Case.outcome, Case.closed_at)
             .where(Case.status.in_(CLOSED_STATUSES), Case.closed_at < cutoff(settings))
             .order_by(Case.closed_at, Case.id))
    rows = session.execute(query.limit(limit) if limit else query).all()
    return [PurgeCandidate(*row) for row in rows]  # type: ignore[arg-type]  # closed cases have closed_at


def purge_case(session: Session, case_id: int, settings: dict[str, Any]) -> PurgedCase | None:
    """Purge one case in the caller's transaction, if it is (still) due."""
    case = session.scalar(select(Case).where(Case.id == case_id, Case.status.in_(CLOSED_STATUSES),
                                             Case.closed_at < cutoff(settings)).with_for_update(of=Case))
    if case is None:
        return None
    kept = PurgedCase(process_id=case.process_version.process_id, stage=case.stage, outcome=case.outcome,
                      opened_at=case.created_at, closed_at=case.closed_at, purged_at=clock.now())
    session.add(kept)
    for event in session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)):
        event.data = {k: v for k, v in (event.data or {}).items() if k in REPORT_FIELDS}
    session.flush()
    session.execute(update(AuditEvent).where(AuditEvent.case_id == case_id).values(case_id=None))
    session.delete(case)
    session.flush()
    audit.record(session, "worker", AuditAction.CASE_PURGED, None,
                 data={"purged_case": kept.id, "retention_period": str(settings.get("RETENTION_PERIOD"))})
    return kept


def purge_due(ctx: Context, limit: int = 100) -> list[int]:
    """The worker's step: purge each due case in its own transaction; returns the case ids purged."""
    purged = []
    for candidate in due(ctx.session, ctx.settings, limit):
        with transaction(ctx.session):
            if purge_case(ctx.session, candidate.case_id, ctx.settings) is not None:
                purged.append(candidate.case_id)
    if purged:
        checkpoint(ctx.session)
    return purged


def checkpoint(session: Session) -> bool:
    """SQLite: copy the log into the database and empty it; False if a reader kept it (PostgreSQL: True)."""
    if session.get_bind().dialect.name != "sqlite":
        return True
    with transaction(session):
        busy, _, _ = session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return not busy
