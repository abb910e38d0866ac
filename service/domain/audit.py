"""The append-only record of what happened to a case.

Each event is one ``INSERT`` in the caller's transaction, written at once
rather than through the ORM's unit of work (a completion's last write, and
the flush it would need costs more than the row). Parts of the application
that react to events (metrics count them once committed, log lines name the
case) subscribe with ``on_record``; the domain knows nothing of them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from ..engine import clock
from ..errors import InvalidInput
from ..models import AuditEvent

if TYPE_CHECKING:
    from .context import Session

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
