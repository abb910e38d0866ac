"""Starting cases, reading them, and delivering the spec's messages to them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, or_, select

from ...engine import CaseRun, EngineError, NotWaitingForMessage, ScriptFailed, clock
from ...errors import Conflict, Forbidden, InvalidInput
from ...models import (
    LIST_LOADING,
    AuditEvent,
    Case,
    CaseStatus,
    ContactLogEntry,
    MessageWait,
    TaskRecord,
    TaskStatus,
    TimerRecord,
    User,
)
from ..core import audit, engine_incidents, forms
from ..core.audit import AuditAction
from ..core.vocabulary import case_number, case_reference
from ..correspondence import contact_details
from ..correspondence.letters_store import letters_of
from ..definitions.versions import current_version, message_form
from ..people.access import load_visible_case, visible_filter
from ..people.permissions import Ability, can
from .case_rows import RowPicture
from .persistence import SavedRows, save_run, saved_rows

if TYPE_CHECKING:
    from ..core.context import Context, Session

MAIN_PROCESS = "contact_management"

T = TypeVar("T")


def start_case(ctx: Context, user: User, data: dict[str, Any], process_id: str | None = None) -> Case:
    if not can(user, Ability.START_CASES):
        raise Forbidden("Only a case officer can record an incident and start a case.")
    version = current_version(ctx.session, process_id or ctx.settings.get("DEFAULT_PROCESS", MAIN_PROCESS))
    bundle = ctx.bundles.get(version)
    start = bundle.start_event
    form = start.properties.get("formJsonSchemaFilename") if start else None
    if form:
        ctx.forms.validate(form, data)
    data, contact = contact_details.take_from_incident(data)
    initial = {**data, "monitoring_period": ctx.settings.get("MONITORING_PERIOD", "P3M")}
    run = _engine(lambda: CaseRun.start(bundle, initial))
    now = clock.now()
    case = Case(process_version_id=version.id, status=CaseStatus.ACTIVE, stage="recorded",
                service_user_name=str(data.get("service_user_name", ""))[:300],
                service_user_reference=data.get("service_user_reference"),
                matter_reference=str(data.get("matter_reference", ""))[:200],
                state="", state_format="", created_by=user.username, created_at=now, updated_at=now)
    ctx.session.add(case)
    ctx.session.flush()
    save_run(ctx, case, run)
    audit.record(ctx.session, user.username, AuditAction.CASE_STARTED, case.id, element_id=start.element_id if start else None,
                 data=data)
    contact_details.record_at_start(ctx.session, case.id, user.username, contact,
                                    start.element_id if start else None)
    return case


def view_case(ctx: Context, user: User, case_id: int) -> Case:
    """A case the user may see, with the view recorded in its audit record."""
    case = load_visible_case(ctx.session, user, case_id)
    audit.record(ctx.session, user.username, AuditAction.CASE_VIEWED, case.id)
    return case


def read_audit(ctx: Context, user: User, case_id: int) -> list[Any]:
    """The case's record; reading it is itself recorded, as it says what was done about a person."""
    load_visible_case(ctx.session, user, case_id)
    events = audit.case_events(ctx.session, case_id)
    audit.record(ctx.session, user.username, AuditAction.CASE_AUDIT_READ, case_id)
    return events


def read_letters(ctx: Context, user: User, case_id: int) -> list[Any]:
    """The letters produced on the case (personal data: the read is recorded)."""
    load_visible_case(ctx.session, user, case_id)
    found = letters_of(ctx.session, case_id)
    audit.record(ctx.session, user.username, AuditAction.CASE_LETTERS_READ, case_id, data={"letters": len(found)})
    return found


@dataclass
class CaseFilters:
    stage: str | None = None
    status: str | None = None
    role: str | None = None
    text: str | None = None  # part of the person's name or the matter reference, or a case number
    page: int = 1
    per_page: int = 25


def list_cases(ctx: Context, user: User, filters: CaseFilters) -> tuple[list[Case], int]:
    query = select(Case).options(*LIST_LOADING).where(visible_filter(user))
    if filters.stage:
        query = query.where(Case.stage == filters.stage)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.text:
        like = "%" + filters.text.strip().replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
        match = or_(Case.service_user_name.ilike(like, escape="\\"), Case.matter_reference.ilike(like, escape="\\"))
        number = case_number(filters.text)
        query = query.where(or_(match, Case.id == number) if number is not None else match)
    if filters.role:
        held = select(TaskRecord.case_id).where(TaskRecord.status == TaskStatus.READY, TaskRecord.role == filters.role)
        query = query.where(Case.id.in_(held))
    total = ctx.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = ctx.session.scalars(query.order_by(Case.updated_at.desc(), Case.id.desc())
                               .offset((filters.page - 1) * filters.per_page).limit(filters.per_page))
    return list(rows), total


def ready_tasks(session: Session, case_ids: list[int]) -> dict[int, list[TaskRecord]]:
    """Each case's ready task rows, oldest first; a case saved in this transaction from memory."""
    found: dict[int, list[TaskRecord]] = {i: [] for i in case_ids}
    unsaved = _unsaved(session, case_ids, found, lambda saved: list(saved.ready))
    if unsaved:
        for row in session.scalars(select(TaskRecord).where(TaskRecord.case_id.in_(unsaved), TaskRecord.status == TaskStatus.READY)
                                   .order_by(TaskRecord.created_at, TaskRecord.id)):
            found[row.case_id].append(row)
    return found


def waiting_for(session: Session, case_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each case's timers (in due order) and then messages (by name); a case saved in this transaction from memory."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in case_ids}
    unsaved = _unsaved(session, case_ids, found, lambda saved: [dict(w) for w in saved.waiting])
    if unsaved:
        for row in session.scalars(select(TimerRecord).where(TimerRecord.case_id.in_(unsaved)).order_by(TimerRecord.id)):
            found[row.case_id].append({"kind": "timer", "name": row.name, "due_at": row.due_at})
        for row in session.scalars(select(MessageWait).where(MessageWait.case_id.in_(unsaved))
                                   .order_by(MessageWait.name)):
            found[row.case_id].append({"kind": "message", "name": row.name, "due_at": None})
    return found


def _unsaved(session: Session, case_ids: list[int], found: dict[int, Any], take: Callable[[SavedRows], Any]) -> list[int]:
    """Fill ``found`` for the cases saved in this transaction; the others still need a query."""
    unsaved = []
    for case_id in case_ids:
        saved = saved_rows(session, case_id)
        if saved is None:
            unsaved.append(case_id)
        else:
            found[case_id] = take(saved)
    return unsaved


def send_message(ctx: Context, user: User, case_id: int, name: str, payload: dict[str, Any]) -> Case:
    """Deliver message ``name`` if the case is waiting for it; else Conflict and no change.

    A suspended case still takes what it waits for: the message is recorded at once
    (a contact goes in the log) and held, and ``deliver_held`` hands it over when a
    supervisor resumes the case. The person's contact or dispute is never refused
    because of an internal pause.
    """
    if not ctx.forms.exists(message_form(name)):
        raise InvalidInput(f"There is no message called '{name}'.", {"name": [f"Unknown message {name}"]})
    ctx.forms.validate(message_form(name), payload)
    case = load_visible_case(ctx.session, user, case_id, for_update=True)
    waiting = ctx.session.scalar(select(MessageWait.id).where(MessageWait.case_id == case.id, MessageWait.name == name))
    if case.status not in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED) or waiting is None:
        raise Conflict(f"Case {case_reference(case_id)} cannot take the message '{name}' now (it is at the stage "
                       f"'{case.stage}'). Nothing was changed.")
    if name == "contact_received":
        log_contact(ctx, case, user, payload.get("contact_date"), payload.get("channel"), payload.get("summary"))
    if case.status == CaseStatus.SUSPENDED:
        audit.record(ctx.session, user.username, HELD, case.id, data={"name": name, "payload": payload})
        return case
    _deliver(ctx, case, user.username, name, payload)
    return case


HELD = "message_held"


def deliver_held(ctx: Context, case: Case, actor: str) -> int:
    """Deliver, oldest first, the messages held since the case was last suspended; returns how many."""
    since = ctx.session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.case_id == case.id,
                                                                     AuditEvent.action == AuditAction.CASE_SUSPENDED)) or 0
    held = list(ctx.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == HELD,
                                                             AuditEvent.id > since).order_by(AuditEvent.id)))
    for event in held:
        _deliver(ctx, case, actor, event.data["name"], event.data["payload"], held_by=event.actor)
    return len(held)


def _deliver(ctx: Context, case: Case, actor: str, name: str, payload: dict[str, Any], held_by: str | None = None) -> None:
    run = CaseRun.load(ctx.bundles.get(case.process_version), case.state)
    before = RowPicture.of(run)
    try:
        run.send_message(name, payload)
    except NotWaitingForMessage as error:
        raise Conflict(str(error)) from None
    except ScriptFailed as error:
        forms.ask_for_missing(ctx.forms.load(message_form(name)), error.missing)
        raise engine_incidents.failed(case.id, "", f"message {name}", "send_message", actor, error) from None
    save_run(ctx, case, run, before=before)
    data = {"name": name, "payload": payload, **({"held_from": held_by} if held_by else {})}
    audit.record(ctx.session, actor, AuditAction.MESSAGE_RECEIVED, case.id, data=data)


def log_contact(ctx: Context, case: Case, user: User, contact_date: str | None, channel: str | None,
                summary: str | None) -> ContactLogEntry:
    entry = ContactLogEntry(case_id=case.id, contact_date=date.fromisoformat(contact_date) if contact_date else
                            clock.now().date(), channel=channel or "other", summary=summary or "",
                            logged_by=user.username, created_at=clock.now())
    ctx.session.add(entry)
    return entry


def _engine(call: Callable[[], T]) -> T:
    try:
        return call()
    except ScriptFailed as error:
        raise InvalidInput(f"The process could not continue: {error}", {"data": [str(error)]}) from None
    except EngineError as error:
        raise Conflict(str(error)) from None
