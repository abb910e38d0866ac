"""The human tasks of the inbox: list, read, complete."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select

from ...engine import CaseRun, ElementInfo, ScriptFailed, TaskNotReady, clock
from ...errors import Conflict, Forbidden, InvalidInput, NotFound
from ...models import Case, CaseStatus, TaskRecord, TaskStatus, User
from ..core import audit, engine_incidents, equality, forms, reviews, terms
from ..core.audit import AuditAction
from ..core.vocabulary import case_reference
from ..correspondence import contact_details, letter_delivery
from ..data_protection import disclosures
from ..people.roles import ROLES
from . import separation
from .case_rows import RowPicture
from .persistence import save_run, saved_rows

if TYPE_CHECKING:
    from ..core.context import Context, Session


@dataclass
class TaskDetail:
    record: TaskRecord
    case: Case
    info: ElementInfo
    form: dict[str, Any]
    refusal: str | None = None  # why this user may not complete it (four eyes), shown on the task page
    prefill: dict[str, Any] = field(default_factory=dict)  # what a blank form starts with (``x-prefill``)


@dataclass
class Completion:
    """What completing a task did: the case as saved, and the tasks that became ready (the page says what next)."""
    case: Case
    new_tasks: list[TaskRecord]


def list_tasks(ctx: Context, user: User, limit: int | None = None, offset: int = 0) -> list[TaskRecord]:
    """Ready tasks in the user's roles, most urgent first (due soonest, then oldest).

    ``limit``/``offset`` give one page of an inbox; the id breaks ties so pages never overlap.
    """
    query = (select(TaskRecord).where(TaskRecord.status == TaskStatus.READY, TaskRecord.role.in_(user.roles))
             .order_by(TaskRecord.due_at.asc().nulls_last(), TaskRecord.created_at, TaskRecord.id))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(ctx.session.scalars(query))


def _record_for(ctx: Context, user: User, task_id: str) -> TaskRecord:
    record = ctx.session.get(TaskRecord, task_id)
    if record is None:
        raise NotFound(f"There is no task {task_id}.")
    _check_role(user, record)
    return record


def _check_role(user: User, record: TaskRecord) -> None:
    if record.role not in user.roles:
        raise Forbidden(f"This task is for the {ROLES.get(record.role or '', record.role)} role, which you do not hold.")


def task_detail(ctx: Context, user: User, task_id: str) -> TaskDetail:
    record = _record_for(ctx, user, task_id)
    case = ctx.session.get_one(Case, record.case_id)
    info = ctx.bundles.get(case.process_version).elements[record.element_id]
    form_name = info.properties.get("formJsonSchemaFilename")
    form = ctx.forms.load(form_name) if form_name else {"type": "object", "properties": {}, "additionalProperties": False}
    if letter_delivery.produces_letter(info):
        form = letter_delivery.task_form(form, info, contact_details.of(ctx.session, case.id), ctx.settings)
    refusal = separation.refusal(ctx.session, record, info.properties, user.username) \
        if record.status == TaskStatus.READY else None
    if record.status != TaskStatus.READY or "x-prefill" not in str(form):
        return TaskDetail(record, case, info, form, refusal)
    data = _ready_data(ctx, case, task_id)
    return TaskDetail(record, case, info, form, refusal, terms.prefill(form, data, terms.in_force(ctx.session, case.id)))


def shown_for_api(ctx: Context, detail: TaskDetail) -> list[terms.Shown]:
    """The case data the task's ``shows`` property names, worded for the API's task detail. Only the
    API asks: the task page words the same names itself (``case_facts.deciding``), so a page view
    neither loads the engine state nor reads the record twice."""
    if detail.record.status != TaskStatus.READY or terms.SHOWS not in detail.info.properties:
        return []
    bundle = ctx.bundles.get(detail.case.process_version)
    forms_used = [ctx.forms.load(e.properties["formJsonSchemaFilename"])
                  for e in bundle.elements.values() if e.properties.get("formJsonSchemaFilename")]
    # a breach's branch never saw the proposal: the case's record fills in what the task's data lacks
    known = {**terms.recorded_answers(ctx.session, detail.case.id), **_ready_data(ctx, detail.case, detail.record.id)}
    return terms.shown(detail.info.properties, known, forms_used)


def _ready_data(ctx: Context, case: Case, task_id: str) -> dict[str, Any]:
    ready = CaseRun.load(ctx.bundles.get(case.process_version), case.state).task(task_id)
    return dict(ready.data) if ready else {}


_TASK_AND_LOCKED_CASE = (select(TaskRecord, Case).join(Case, Case.id == TaskRecord.case_id)
                         .where(TaskRecord.id == bindparam("task_id")).with_for_update(of=Case))


def lock_task_and_case(session: Session, task_id: str) -> tuple[TaskRecord, Case] | None:
    """The task's row and its case, the case locked (``FOR UPDATE`` on PostgreSQL), in one query.

    The task row may be older than the case row it came with (PostgreSQL re-reads
    only the locked row after waiting for the lock), so the engine state, read
    under the lock, is what decides whether the task is still waiting.
    """
    found = session.execute(_TASK_AND_LOCKED_CASE, {"task_id": task_id}).first()
    return (found[0], found[1]) if found else None


def complete_task(ctx: Context, user: User, task_id: str, data: dict[str, Any], override: bool = False) -> Completion:
    """Check, validate, run and save in the caller's transaction; any failure changes nothing.

    Holding the task's role is what lets the user see its case (need to know:
    the role of one of its current tasks), so no further visibility check is needed.
    A task someone else claimed needs ``override``, which goes on the case's record:
    the same rule for the web page and the API, checked under the case's lock.
    """
    found = lock_task_and_case(ctx.session, task_id)
    if found is None:
        raise NotFound(f"There is no task {task_id}.")
    record, case = found
    _check_role(user, record)
    if record.status != TaskStatus.READY:
        raise Conflict(f"Task {task_id} ({record.title}) is already {record.status}. Nothing was changed.")
    if case.status != CaseStatus.ACTIVE:
        raise Conflict(f"Case {case_reference(case.id)} is {case.status}: its tasks cannot be completed until a supervisor resumes it.")
    if record.claimed_by and record.claimed_by != user.username:
        _override_claim(ctx, user, record, override)
    bundle = ctx.bundles.get(case.process_version)
    element = bundle.elements.get(record.element_id)
    refusal = separation.refusal(ctx.session, record, element.properties, user.username) if element else None
    if refusal:
        raise Forbidden(refusal)
    run = CaseRun.load(bundle, case.state)
    before = RowPicture.of(run)
    task = run.task(task_id)
    if task is None:
        raise Conflict(f"Task {task_id} is no longer waiting. Nothing was changed.")
    form_name = task.info.properties.get("formJsonSchemaFilename")
    data, delivery_fields = letter_delivery.split(task.info, ctx.forms.load(form_name) if form_name else None, data)
    if form_name:
        ctx.forms.validate(form_name, data, context=task.data)
    elif data:
        raise InvalidInput("This task takes no fields.", {k: ["Not a field of this task"] for k in data})
    # The person's contact details are read only by a task that notes needs: the hot path stays two reads.
    contact = contact_details.as_data(contact_details.of(ctx.session, case.id)) \
        if equality.notes_needs(task.info.properties) else None
    data = {**data, **reviews.next_review(task.info.properties, task.data, data, clock.now()),
            **equality.noted(ctx.session, task.info.properties, case.id, data, contact)}
    how = letter_delivery.sending(ctx, case, task.info, data, delivery_fields)
    try:
        run.complete(task_id, data)
    except TaskNotReady as error:
        raise Conflict(str(error)) from None
    except ScriptFailed as error:
        if form_name:
            forms.ask_for_missing(ctx.forms.load(form_name), error.missing)
        raise engine_incidents.failed(case.id, task.info.element_id, task.info.title, "complete_task",
                                      user.username, error) from None
    save_run(ctx, case, run, completed_task_id=task_id, completed_by=user.username, before=before)
    audit.record(ctx.session, user.username, AuditAction.TASK_COMPLETED, case.id, task_id=task_id,
                 element_id=task.info.element_id, data=data)
    if terms.puts_in_force(task.info.properties):  # before the letter, which restates the terms in force
        terms.record_in_force(ctx.session, user.username, case.id, {**task.data, **data}, task_id,
                              task.info.element_id)
    if how is not None:  # the letter is issued with the completion: no draft is left (letter_delivery)
        letter_delivery.produce_and_issue(ctx, user, case, task.info, {**task.data, **data}, task_id, how)
    if disclosures.records_disclosure(task.info.properties):
        shared = disclosures.record(ctx.session, case, {**task.data, **data}, user.username)
        audit.record(ctx.session, user.username, AuditAction.DISCLOSURE_RECORDED, case.id, task_id=task_id,
                     element_id=task.info.element_id, data={"agency": shared.agency, "legal_basis": shared.legal_basis})
    saved = saved_rows(ctx.session, case.id)
    return Completion(case, [row for row in saved.ready if row.id not in before.ready] if saved else [])


def _override_claim(ctx: Context, user: User, record: TaskRecord, override: bool) -> None:
    """Someone else claimed the task: refuse unless the caller overrides, and record the override."""
    holder = ctx.session.scalar(select(User.display_name).where(User.username == record.claimed_by))
    holder = holder or record.claimed_by
    if not override:
        raise InvalidInput(f"{holder} is working on this task.", {"override": [
            f"{holder} is working on this task. Tick the box to confirm you are completing it instead "
            "(in the API, send \"override\": true)"]})
    audit.record(ctx.session, user.username, AuditAction.TASK_CLAIM_OVERRIDDEN, record.case_id, task_id=record.id,
                 element_id=record.element_id, data={"from": record.claimed_by})
