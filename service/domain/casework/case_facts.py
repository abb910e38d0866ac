"""Case data as staff should read it: each value beside the form that recorded it.

Two pages use it. A task's "What you are deciding" section shows the data its
diagram names (the user task's ``shows`` property: space-separated data names,
e.g. the proposal an Independent Review Manager consults on), read from the
task's own data as the engine holds it. The supervisor's case page shows all
the case's current data the same way.

A value is worded by the form that gave it on this case: the latest task,
message or start form in the case's audit record that recorded that name (a
message's payload sits under the variable its diagram names, ``contact`` for
``contact_received``). A name no event recorded is worded by the first form of
the version that asks for it; a name no form asks for (set by diagram code)
gets its own name in words.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ...engine import CaseRun, ElementInfo, ProcessBundle
from ...models import AuditEvent, Case
from ..core.context import Context
from ..definitions.versions import message_form

EMPTY: tuple[object, ...] = (None, "", [], {})


@dataclass(frozen=True)
class Fact:
    """One named value of a case's data and the form that words it."""

    name: str
    value: object
    form: dict[str, Any]  # a schema whose properties word the value: the field alone, or a whole payload's form
    source: str  # what recorded it (a task's or a form's title); "" when no form asks for it
    payload: bool = False  # the value is a message's payload: its fields are the answers


def shown_names(info: ElementInfo) -> list[str]:
    """The data names a user task's ``shows`` property lists, in its order."""
    return (info.properties.get("shows") or "").split()


def deciding(ctx: Context, case: Case, task_id: str, info: ElementInfo) -> list[Fact]:
    """What a task's diagram says its holder decides on ([] once it is done): from the task's
    data, or, for a name the task cannot see (an event sub-process sees only its message), the
    latest value the case's record holds, such as the restrictions agreed."""
    names = shown_names(info)
    if not names:
        return []
    task = CaseRun.load(ctx.bundles.get(case.process_version), case.state).task(task_id)
    if task is None:
        return []
    recorded = _recorded(ctx, case, ctx.bundles.get(case.process_version))
    data = {name: task.data[name] if name in task.data else recorded[name][0] for name in names
            if name in task.data or name in recorded}
    return facts(ctx, case, data)


def current(ctx: Context, case: Case, data: dict[str, Any]) -> list[Fact]:
    """All of a case's current data, worded, in the order the case recorded it; what no form
    asks for (set by diagram code) comes last."""
    found = facts(ctx, case, data)
    order = {name: index for index, name in enumerate(_recorded_order(ctx, case))}
    return sorted(found, key=lambda fact: (not fact.source, order.get(fact.name, len(order)), fact.name))


def facts(ctx: Context, case: Case, data: dict[str, Any]) -> list[Fact]:
    """Each answered value of ``data`` with the form that words it, in ``data``'s order."""
    bundle = ctx.bundles.get(case.process_version)
    recorded = {name: (form, title) for name, (_, form, title) in _recorded(ctx, case, bundle).items()}
    known = _asked_by(ctx, bundle)
    found = []
    for name, value in data.items():
        if _blank(value):
            continue
        form, source = recorded.get(name) or known.get(name) or ({}, "")
        payload = name in bundle.message_variables and isinstance(value, dict)
        if not payload:
            spec = (form.get("properties") or {}).get(name)
            form = {"type": "object", "properties": {name: spec}} if spec else {}
        found.append(Fact(name, value, form, source, payload))
    return found


def _blank(value: object) -> bool:
    return value in EMPTY


def _events(ctx: Context, case: Case) -> list[AuditEvent]:
    return list(ctx.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id,
                                 AuditEvent.action.in_(("case_started", "task_completed", "message_received")))
        .order_by(AuditEvent.id)))


def _recorded_order(ctx: Context, case: Case) -> list[str]:
    bundle = ctx.bundles.get(case.process_version)
    variables = {message: variable for variable, message in bundle.message_variables.items()}
    names: list[str] = []
    for event in _events(ctx, case):
        data = event.data or {}
        keys = [variables.get(data.get("name", ""), "")] if event.action == "message_received" else list(data)
        names += [key for key in keys if key and key not in names]
    return names


def _recorded(ctx: Context, case: Case, bundle: ProcessBundle) -> dict[str, tuple[object, dict[str, Any], str]]:
    """Name -> (value, form, title) from the latest event on the case that recorded it."""
    variables = {message: variable for variable, message in bundle.message_variables.items()}
    found: dict[str, tuple[object, dict[str, Any], str]] = {}
    for event in _events(ctx, case):
        data = event.data or {}
        if event.action == "message_received":
            name = data.get("name", "")
            if name in variables and ctx.forms.exists(message_form(name)):
                form = ctx.forms.load(message_form(name))
                found[variables[name]] = (data.get("payload"), form, form.get("title") or name)
            continue
        info = bundle.elements.get(event.element_id or "") or (
            bundle.start_event if event.action == "case_started" else None)
        form = _form_of(ctx, info)
        for name, value in data.items():
            if name in (form.get("properties") or {}):
                found[name] = (value, form, info.title if info else "")
    return found


def _asked_by(ctx: Context, bundle: ProcessBundle) -> dict[str, tuple[dict[str, Any], str]]:
    """Name -> (form, title) of the first element of the version whose form asks for it."""
    found: dict[str, tuple[dict[str, Any], str]] = {}
    for variable, message in bundle.message_variables.items():
        if ctx.forms.exists(message_form(message)):
            form = ctx.forms.load(message_form(message))
            found[variable] = (form, form.get("title") or message)
    for info in bundle.elements.values():
        form = _form_of(ctx, info)
        for name in form.get("properties") or {}:
            found.setdefault(name, (form, info.title))
    return found


def _form_of(ctx: Context, info: ElementInfo | None) -> dict[str, Any]:
    name = info.properties.get("formJsonSchemaFilename") if info else None
    return ctx.forms.load(name) if name and ctx.forms.exists(name) else {}


def previous_answers(ctx: Context, case: Case, info: ElementInfo) -> dict[str, Any]:
    """The answers given the last time this task was completed on the case, when its diagram asks
    for them (``prefill`` = ``previous``): a proposal sent back for revision starts as it was."""
    if info.properties.get("prefill") != "previous":
        return {}
    event = ctx.session.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "task_completed",
                                 AuditEvent.element_id == info.element_id)
        .order_by(AuditEvent.id.desc()).limit(1))
    return dict(event.data or {}) if event else {}
