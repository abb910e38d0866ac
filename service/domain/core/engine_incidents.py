"""Engine failures on staff actions: recorded for supervisors, never shown to staff as engine text.

A completion or message whose input passed every form check can still fail in
the engine (a diagram whose code reads a value the case lacks, code over its
budget). The user is told plainly that the case could not move on; the failed
unit of work rolls back, and ``record`` writes an incident in a fresh one so
the dashboard lists it beside timer incidents until a supervisor resolves it.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from ...engine import ScriptFailed, clock
from ...errors import CaseCouldNotMoveOn, NotFound
from ...models import EngineIncident
from . import audit
from .audit import AuditAction

if TYPE_CHECKING:
    from .context import Context, Session

log = logging.getLogger(__name__)


def failed(case_id: int, element_id: str, title: str, action: str, actor: str, error: ScriptFailed) -> CaseCouldNotMoveOn:
    """Log the engine's failure with its traceback and give the error the caller raises.

    Only a budget overrun is explained to staff (the sandbox's own words, naming
    the element); other failures are for the supervisor's dashboard.
    """
    log.error("engine failure on case %s at %s (%s by %s): %s", case_id, element_id, action, actor, error,
              exc_info=error, extra={"case_id": case_id})
    return CaseCouldNotMoveOn(case_id, element_id, title, action, actor, str(error),
                              explained=str(error) if error.over_budget else None)


def record(session: Session, failure: CaseCouldNotMoveOn) -> EngineIncident:
    """Write the incident and its audit event (called after the failed transaction rolled back)."""
    incident = EngineIncident(case_id=failure.case_id, element_id=failure.element_id, title=failure.title,
                              action=failure.action, actor=failure.actor, error=failure.error,
                              created_at=clock.now())
    session.add(incident)
    audit.record(session, failure.actor, AuditAction.ENGINE_INCIDENT, failure.case_id, element_id=failure.element_id,
                 data={"action": failure.action, "error": failure.error})
    return incident


def list_open(session: Session) -> list[EngineIncident]:
    return list(session.scalars(select(EngineIncident).where(EngineIncident.resolved_at.is_(None))
                                .order_by(EngineIncident.created_at, EngineIncident.id)))


def resolve(ctx: Context, actor: str, incident_id: int, reason: str) -> EngineIncident:
    """A supervisor marks an incident dealt with (e.g. after redeploying and migrating the case)."""
    reason = audit.required_reason(reason, "resolving the incident")
    incident = ctx.session.get(EngineIncident, incident_id)
    if incident is None or incident.resolved_at is not None:
        raise NotFound(f"There is no open incident {incident_id}.")
    incident.resolved_at, incident.resolved_by = clock.now(), actor
    audit.record(ctx.session, actor, AuditAction.ENGINE_INCIDENT_RESOLVED, incident.case_id, element_id=incident.element_id,
                 data={"reason": reason})
    return incident
