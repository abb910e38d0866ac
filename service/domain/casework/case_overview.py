"""What the staff case pages read about a case, beyond its row: the incident as
recorded, the messages it can take now, the forms that explain its record, and
the start form. Reads only; the changes live in ``cases``, ``tasks``, ``claims``
and ``contacts``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...errors import Conflict, NotFound
from ...models import AuditEvent, Case, CaseStatus, MessageWait, User
from ..core.audit import AuditAction
from ..core.vocabulary import case_reference
from ..definitions.versions import current_version, message_form
from ..people.access import load_visible_case
from .cases import MAIN_PROCESS

if TYPE_CHECKING:
    from ..core.context import Context, Session


def start_form(ctx: Context, process_id: str | None = None) -> dict[str, Any]:
    """The form on the main start event of the current version: recording an incident."""
    version = current_version(ctx.session, process_id or ctx.settings.get("DEFAULT_PROCESS", MAIN_PROCESS))
    start = ctx.bundles.get(version).start_event
    name = start.properties.get("formJsonSchemaFilename") if start else None
    if not name:
        raise NotFound("The process has no start form, so incidents cannot be recorded here.")
    return ctx.forms.load(name)


def incident(session: Session, case_id: int) -> dict[str, Any]:
    """The fields recorded when the case was started."""
    event = session.scalar(select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == AuditAction.CASE_STARTED)
                           .order_by(AuditEvent.id).limit(1))
    return dict(event.data or {}) if event else {}


def latest_message(session: Session, case_id: int, name: str) -> dict[str, Any]:
    """The payload of the latest message ``name`` the case took ({} if none): the further
    incident that moved a warned case on to a contact strategy."""
    event = session.scalar(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                    AuditEvent.action == "message_received",
                                                    AuditEvent.data["name"].as_string() == name)
                           .order_by(AuditEvent.id.desc()).limit(1))
    payload = (event.data or {}).get("payload") if event else None
    return dict(payload) if isinstance(payload, dict) else {}


def open_messages(ctx: Context, case: Case) -> list[str]:

    """The messages the case is waiting for now and staff can send (each has a payload form);
    a suspended case holds them until it resumes (``cases.send_message``)."""
    if case.status not in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        return []
    waiting = ctx.session.scalars(select(MessageWait.name).where(MessageWait.case_id == case.id)
                                  .distinct().order_by(MessageWait.name))
    return [name for name in waiting if ctx.forms.exists(message_form(name))]


def message_target(ctx: Context, user: User, case_id: int, name: str) -> tuple[Case, dict[str, Any]]:
    """The case and payload form for sending ``name``: 404 unless the user may see the case,
    409 unless the case is waiting for that message now."""
    case = load_visible_case(ctx.session, user, case_id)
    if not ctx.forms.exists(message_form(name)):
        raise NotFound(f"There is no message called '{name}'.")
    if name not in open_messages(ctx, case):
        raise Conflict(f"Case {case_reference(case.id)} cannot take this now: it is not waiting for it at its present stage.")
    return case, ctx.forms.load(message_form(name))


def form_of(ctx: Context, case: Case, element_id: str | None) -> dict[str, Any]:
    """The form of a diagram element on the case's version ({} if none), to word its answers."""
    info = ctx.bundles.get(case.process_version).elements.get(element_id or "")
    name = info.properties.get("formJsonSchemaFilename") if info else None
    return ctx.forms.load(name) if name and ctx.forms.exists(name) else {}


def titles(ctx: Context, case: Case) -> dict[str, str]:
    """Element id to its title on the case's version, to name tasks and events in the record."""
    return {element_id: info.title for element_id, info in ctx.bundles.get(case.process_version).elements.items()}
