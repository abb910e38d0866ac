"""The terms of the contact strategy in force, and what a task shows beside its form.

A strategy's terms (its restrictions and reasons) come into force when the person is
told of them: a task with the diagram property ``termsInForce`` (the strategy letter,
a change letter) records them as a ``terms_in_force`` event on the case's record.
Later letters (a breach reminder) restate the latest terms in force, not whatever
an older branch of the process still holds (CLE 9.11, SCO 6, WM 4.5).

Forms pre-fill from the case: a field marked ``"x-prefill": "terms_in_force"`` starts
from the terms in force (editing a strategy starts from its current restrictions),
``"x-prefill": "case_data"`` from the case's own data (a returned change is revised,
not retyped). ``shown`` words the case data a task's ``shows`` property names for the API's
task detail (the task page words the same names through ``casework.case_facts``): the
authorising officer reads the needs and the equality advice (CLE 9.14, WAR 5).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...models import AuditEvent
from . import audit

if TYPE_CHECKING:
    from .context import Session

PROPERTY = "termsInForce"
SHOWS = "shows"  # the one property naming what a task shows (the page: casework.case_facts)
EVENT = "terms_in_force"
# What the person was told the strategy is: restated by every later letter.
FIELDS = ("restrictions", "objective", "reason", "fresh_matters_route", "matter_status", "change_summary")


@dataclass(frozen=True)
class Shown:
    field: str
    title: str
    text: str


def puts_in_force(properties: dict[str, Any]) -> bool:
    return properties.get(PROPERTY) == "true"


def record_in_force(session: Session, actor: str, case_id: int, data: dict[str, Any], task_id: str,
                    element_id: str) -> dict[str, Any]:
    """Record the terms the person is being told of now; the letter drafted next restates them.

    A change made in a branch that never saw the strategy (a dispute) keeps what it does not restate
    (the reason, the objective) from the terms it replaces."""
    terms = {**in_force(session, case_id), **{k: data[k] for k in FIELDS if data.get(k) not in (None, "", [])}}
    audit.record(session, actor, EVENT, case_id, task_id=task_id, element_id=element_id, data=terms)
    return terms


def in_force(session: Session, case_id: int) -> dict[str, Any]:
    """The terms most recently put in force on the case ({} before any strategy)."""
    found = session.scalar(select(AuditEvent.data).where(AuditEvent.case_id == case_id, AuditEvent.action == EVENT)
                           .order_by(AuditEvent.id.desc()).limit(1))
    return dict(found or {})


def recorded_answers(session: Session, case_id: int) -> dict[str, Any]:
    """Every answer given on the case, the latest of each field winning: what a branch of the
    process that started before an answer was given (a breach, a dispute) still needs to know."""
    answers: dict[str, Any] = {}
    for event_data in session.scalars(select(AuditEvent.data).where(
            AuditEvent.case_id == case_id, AuditEvent.action.in_(("case_started", "task_completed")))
            .order_by(AuditEvent.id)):
        answers.update(event_data or {})
    return answers


def prefill(form: dict[str, Any], case_data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The values a blank form starts with, from the fields it marks ``x-prefill``."""
    values: dict[str, Any] = {}
    for name, field in (form.get("properties") or {}).items():
        source = {"terms_in_force": {**case_data, **current}, "case_data": case_data}.get(field.get("x-prefill"))
        if source is not None and source.get(name) not in (None, "", []):
            values[name] = source[name]
    return values


def shown(properties: dict[str, Any], case_data: dict[str, Any], forms: list[dict[str, Any]]) -> list[Shown]:
    """The case data a task shows beside its form, titled as the forms that asked for it."""
    found = []
    for name in properties.get(SHOWS, "").split():
        value = case_data.get(name)
        if value in (None, "", []):
            continue
        schema: dict[str, Any] = next((f["properties"][name] for f in forms if name in (f.get("properties") or {})), {})
        found.append(Shown(name, schema.get("title", name.replace("_", " ").capitalize()), _text(value, schema)))
    return found


def _text(value: object, schema: dict[str, Any]) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_text(item, schema.get("items") or {}) for item in value)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        return ": ".join(_text(v, props.get(k) or {}) for k, v in value.items() if v not in (None, ""))
    names = dict(zip(schema.get("enum") or [], schema.get("x-enumNames") or [], strict=False))  # a label may be missing
    return str(names.get(value, value))
