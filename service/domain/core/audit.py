"""The append-only record of what happened to a case.

Each event is one ``INSERT`` in the caller's transaction, written at once
rather than through the ORM's unit of work (a completion's last write, and
the flush it would need costs more than the row). Parts of the application
that react to events (metrics count them once committed, log lines name the
case) subscribe with ``on_record``; the domain knows nothing of them.
"""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from ...engine import clock
from ...errors import InvalidInput
from ...models import AuditEvent

if TYPE_CHECKING:
    from .context import Session



class AuditAction(StrEnum):
    """What an audit event records. The column holds the string; reports and the case record read these."""

    CASE_STARTED = "case_started"
    CASE_VIEWED = "case_viewed"
    CASE_AUDIT_READ = "case_audit_read"
    CASE_LETTERS_READ = "case_letters_read"
    CASE_SUSPENDED = "case_suspended"
    CASE_RESUMED = "case_resumed"
    CASE_TERMINATED = "case_terminated"
    CASE_MIGRATED = "case_migrated"
    CASE_MIGRATION_REFUSED = "case_migration_refused"
    CASE_PURGED = "case_purged"
    CASES_EXPORTED = "cases_exported"
    TASK_COMPLETED = "task_completed"
    TASK_CANCELLED = "task_cancelled"
    TASK_CLAIMED = "task_claimed"
    TASK_RELEASED = "task_released"
    TASK_REASSIGNED = "task_reassigned"
    TASK_CLAIM_OVERRIDDEN = "task_claim_overridden"
    TASK_OVERDUE = "task_overdue"
    MESSAGE_RECEIVED = "message_received"
    MESSAGE_HELD = "message_held"
    CONTACT_LOGGED = "contact_logged"
    TIMER_FIRED = "timer_fired"
    TIMER_FAILED = "timer_failed"
    INCIDENT_RETRIED = "incident_retried"
    ENGINE_INCIDENT = "engine_incident"
    ENGINE_INCIDENT_RESOLVED = "engine_incident_resolved"
    LETTER_PRODUCED = "letter_produced"
    LETTER_VIEWED = "letter_viewed"
    LETTER_ISSUED = "letter_issued"
    EMAIL_SENT = "email_sent"
    EMAIL_RETRIED = "email_retried"
    DISCLOSURE_RECORDED = "disclosure_recorded"
    SUBJECT_ACCESS_EXPORT = "subject_access_export"
    REPORT_EXPORTED = "report_exported"
    PROCESS_DEPLOYED = "process_deployed"
    FORM_CREATED = "form_created"
    FORM_SAVED = "form_saved"


_INSERT = insert(AuditEvent.__table__)  # built once: building it per call costs more than running it
# listener(session, action, case_id, element_id), called for every event recorded
_LISTENERS: list[Callable[[object, str, int | None, str | None], None]] = []


def on_record(listener: Callable[[object, str, int | None, str | None], None]) -> None:
    """Call ``listener`` for each event recorded from now on (once per listener)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def required_reason(reason: str | None, doing: str) -> str:
    """The reason a supervisor or manager gives for ``doing`` something, which goes on the case's record."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(f"Give a reason for {doing}: it goes on the case's record.",
                           {"reason": [f"Give a reason for {doing}"]})
    return reason


def record(session: Session, actor: str, action: str, case_id: int | None = None, task_id: str | None = None,
           element_id: str | None = None, data: dict[str, Any] | None = None) -> None:
    session.execute(_INSERT, {"case_id": case_id, "actor": actor, "action": action, "task_id": task_id,
                              "element_id": element_id, "data": data or {}, "created_at": clock.now()})
    for listener in _LISTENERS:
        listener(session, action, case_id, element_id)


def case_events(session: Session, case_id: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)))
