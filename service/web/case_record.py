"""A case's audit record in plain English: who did what, when, and what they decided;
and recording that a page showed the case.

Each entry names the task by its title on the case's process version and lists
the answers given, worded with the form's own labels and choice names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import request

from ..domain.casework import case_overview, cases
from ..domain.casework.contacts import CONTACT_FORM
from ..domain.core.audit import AuditAction
from ..domain.core.transaction import transaction
from ..domain.correspondence.letters import TITLES as LETTER_TITLES
from ..domain.definitions.versions import message_form
from ..domain.people.claims import names as display_names
from . import form_fields
from .outbox import EMAIL_ACTIONS, describe_email
from .wording import message_done, role_title, words

SYSTEM = {"worker": "The system", "system": "The system"}


@dataclass
class Entry:
    when: datetime
    who: str
    text: str
    details: list[tuple[str, str]] = field(default_factory=list)
    element_id: str | None = None  # the diagram element the entry is about, to place it in its stage


def entries(ctx, case, events) -> tuple[list[Entry], list[Entry]]:
    """(the record of actions and decisions, the views of the case), oldest first."""
    # actors, and the people tasks were given to or taken from
    people = display_names(ctx.session, {e.actor for e in events} | {
        e.data.get(key) for e in events if e.data for key in ("to", "from") if isinstance(e.data.get(key), str)})
    titles = case_overview.titles(ctx, case)
    record, views = [], []
    for event in events:
        who = SYSTEM.get(event.actor) or people.get(event.actor, event.actor)
        if event.action == AuditAction.CASE_VIEWED:
            views.append(Entry(event.created_at, who, "Viewed the case"))
            continue
        text, details = _describe(ctx, case, event, titles.get(event.element_id or "", words(event.element_id)),
                                  people)
        record.append(Entry(event.created_at, who, text, details, event.element_id))
    return record, views


def _describe(ctx, case, event, title: str, people: dict) -> tuple[str, list]:
    data, action = event.data or {}, event.action
    if action == "case_started":
        return "Recorded the incident", _answers(case_overview.form_of(ctx, case, event.element_id), data)
    if action == "task_completed":
        return f"Completed: {title}", _answers(case_overview.form_of(ctx, case, event.element_id), data)
    if action in ("message_received", "message_held"):
        name = data.get("name", "")
        form = ctx.forms.load(message_form(name)) if ctx.forms.exists(message_form(name)) else {}
        held = " (held while the case is suspended; it is handled when the case resumes)" \
            if action == "message_held" else ""
        return message_done(name) + held, _answers(form, data.get("payload") or {})
    if action == "task_cancelled":
        return f"No longer needed, so cancelled: {title}", []
    if action == "contact_logged":
        return "Added a contact to the log", _answers(CONTACT_FORM, data)
    if action == "letter_produced":
        letter = data.get("letter", "")
        return f"Letter produced: {LETTER_TITLES.get(letter, words(letter))}", []
    if action == "task_claimed":
        return f"Started work on: {title}", []
    if action == "task_released":
        return f"Released: {title}, so anyone in the role can pick it up", []
    if action == "task_reassigned":
        reason = f": {data['reason']}" if data.get("reason") else ""
        return f"Gave {title} to {people.get(data.get('to'), data.get('to'))}{reason}", []
    if action == "task_claim_overridden":
        return f"Took over {title} from {people.get(data.get('from'), data.get('from'))}", []
    if action == "task_overdue":
        return f"{title} became overdue (a task for {role_title(data.get('role'))})", []
    if action == "timer_fired":
        return "A waiting period ended", []
    if action == "timer_failed":
        return "A waiting period could not be processed; it will be tried again", []
    if action in EMAIL_ACTIONS:
        return describe_email(action, data)
    if action == "engine_incident":
        return f"Could not move the case on at {title}; a supervisor was told", []
    if action == "engine_incident_resolved":
        return f"Resolved the incident at {title}", _reason(data)
    if action == "incident_retried":
        return "Asked for the failed waiting period to be tried again", _reason(data)
    if action in ("case_suspended", "case_resumed", "case_terminated"):
        verb = {"case_suspended": "Suspended", "case_resumed": "Resumed", "case_terminated": "Stopped"}[action]
        return f"{verb} the case", _reason(data)
    if action == "case_migrated":
        return f"Moved the case from {data.get('from')} to {data.get('to')}", []
    return words(action).capitalize(), _reason(data)


def shown(ctx, user, case_id: int):
    """A page showing the case's details records the view (need to know: SCO 3.3) when it is
    first drawn (GET); a redraw after a button press or an error is the same visit."""
    if request.method == "GET":
        with transaction(ctx.session):
            cases.view_case(ctx, user, case_id)


def incident_answers(ctx, case) -> list[tuple[str, str]]:
    """The incident as recorded, in the start form's words: the case summary beside a form."""
    start = ctx.bundles.get(case.process_version).start_event
    return _answers(case_overview.form_of(ctx, case, start.element_id if start else None),
                    case_overview.incident(ctx.session, case.id))


def further_incident_answers(ctx, case) -> list[tuple[str, str]]:
    """The latest further incident, in its form's words: beside a form, with the first incident,
    because it is what moved the case on (a strategy proposed after a warning)."""
    payload = case_overview.latest_message(ctx.session, case.id, "further_incident")
    form = message_form("further_incident")
    return _answers(ctx.forms.load(form) if payload and ctx.forms.exists(form) else {}, payload)


def _answers(schema: dict, data: dict) -> list[tuple[str, str]]:
    return form_fields.answers(schema, data) if isinstance(data, dict) else []


def _reason(data: dict) -> list[tuple[str, str]]:
    return [("Reason", str(data["reason"]))] if data.get("reason") else []

