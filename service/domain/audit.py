"""The append-only record of what happened to a case."""
from __future__ import annotations

from sqlalchemy import select

from ..engine import clock
from ..models import AuditEvent


def record(session, actor: str, action: str, case_id: int | None = None, task_id: str | None = None,
           element_id: str | None = None, data: dict | None = None) -> AuditEvent:
    event = AuditEvent(case_id=case_id, actor=actor, action=action, task_id=task_id, element_id=element_id,
                       data=data or {}, created_at=clock.now())
    session.add(event)
    return event


def case_events(session, case_id: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)))
