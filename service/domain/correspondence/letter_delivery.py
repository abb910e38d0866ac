"""A task's letter is issued as part of completing the task (issue #21 item 1, #18 item 7).

Before, completing "Issue a warning letter" or "Send the contact strategy letter"
left a draft that someone had to find and issue; a strategy could be "in place"
with no letter sent. Now a task that names a ``letter`` asks how to send it:
its form gains ``delivery`` (if it lacks one), ``postal_address`` and ``email``,
pre-filled (as schema defaults) from the case's contact details and agreed way
of sending. Completing the task renders, issues (PDF stored, email queued) and
records the letter in the completion's own transaction: no draft is left.

The REST API works the same way, since ``GET /tasks/<id>`` returns that form:
a client may send ``delivery``, ``postal_address`` and ``email`` in the
completion's ``data``; whatever it leaves out comes from the case's contact
details (``delivery`` from the person's agreed way, or post). If the chosen way
needs an address the case does not have, the completion is refused (422) naming
``postal_address`` or ``email``, and nothing changes. These fields are not
passed to the workflow: an address is the case's, not the process's.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...engine import CaseRun, ElementInfo, clock
from ...errors import InvalidInput
from ...models import Case, ContactDetails, Letter, User
from ..core import audit, forms
from . import contact_details, letter_issue, letters

if TYPE_CHECKING:
    from ..core.context import Context

# Fields the task's form gains when the task produces a letter (unless it has them).
DELIVERY_FIELDS: dict[str, dict[str, Any]] = {
    "delivery": {"type": "array", "title": "How to send the letter", "uniqueItems": True,
                 "items": {"type": "string", "enum": ["post", "email"]}, "x-enumNames": ["Post", "Email"],
                 "description": "Pre-filled with the way the person agreed (the case's contact details)."},
    "postal_address": {"type": "string", "title": "Postal address for the letter", "maxLength": 500,
                       "x-widget": "textarea", "x-neededWhen": "post",
                       "description": "Needed when it goes by post. Pre-filled from the case's contact details."},
    "email": {"type": "string", "title": "Email address for the letter", "format": "email", "maxLength": 320,
              "x-neededWhen": "email",
              "description": "Needed when it goes by email. Pre-filled from the case's contact details."},
}
ADDRESS_FIELDS = ("postal_address", "email")


def produces_letter(info: ElementInfo) -> bool:
    return bool(info.properties.get("letter"))


def task_form(form: dict[str, Any], info: ElementInfo, details: ContactDetails | None,
              settings: dict[str, Any]) -> dict[str, Any]:
    """The task's form with the letter's delivery fields, pre-filled from the contact details."""
    if not produces_letter(info):
        return form
    shaped = copy.deepcopy(form)
    properties = shaped.setdefault("properties", {})
    for name, spec in DELIVERY_FIELDS.items():
        properties.setdefault(name, copy.deepcopy(spec))
    defaults = {"delivery": contact_details.default_channels(details, bool(settings.get("LETTERS_BY_POST_AND_EMAIL"))),
                **{name: getattr(details, name) for name in ADDRESS_FIELDS if details and getattr(details, name)}}
    for name, value in defaults.items():
        properties[name]["default"] = value
    return shaped


def split(info: ElementInfo, form: dict[str, Any] | None,
          data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The task's own answers, and the delivery fields its form does not have (kept out of the workflow)."""
    if not produces_letter(info):
        return data, {}
    own = set((form or {}).get("properties") or {})
    extra = {k: v for k, v in data.items() if k in DELIVERY_FIELDS and k not in own}
    return {k: v for k, v in data.items() if k not in extra}, extra


def sending(ctx: Context, case: Case, info: ElementInfo, answers: dict[str, Any],
            extra: dict[str, Any]) -> dict[str, Any] | None:
    """How the letter this completion produces goes (the issue form's data), or None if it
    produces none; refuses (422, nothing changed) what cannot be sent."""
    if not letters.produces_letter(info.properties, answers):
        return None
    forms.validate({"type": "object", "properties": DELIVERY_FIELDS}, extra)
    details = contact_details.of(ctx.session, case.id)
    both = bool(ctx.settings.get("LETTERS_BY_POST_AND_EMAIL"))
    channels = [c for c in ("post", "email") if c in (answers.get("delivery") or extra.get("delivery")
                                                      or contact_details.default_channels(details, both))]
    found = {name: (extra.get(name) or (getattr(details, name) if details else None)) for name in ADDRESS_FIELDS}
    problems: dict[str, list[str]] = {}
    if not channels:
        problems["delivery"] = ["Select how to send the letter"]
    if "post" in channels and not found["postal_address"]:
        problems["postal_address"] = ["Enter the postal address the letter goes to (or record it in the case's "
                                      "contact details)"]
    if "email" in channels and not found["email"]:
        problems["email"] = ["Enter the email address the letter goes to (or record it in the case's contact details)"]
    missing = [c for c, name in (("post", "postal_address"), ("email", "email")) if found[name] and c not in channels]
    if both and missing and not (details and details.preferred_channel):
        problems["delivery"] = ["This office sends letters by post and email where it has both addresses (SCO 5.3): "
                                "select both, or record the way the person agreed in the case's contact details"]
    if problems:
        raise InvalidInput("Check how the letter is sent: " + ", ".join(sorted(problems)) + ".", problems)
    return {"channels": channels, **{name: found[name] for name, c in (("postal_address", "post"), ("email", "email"))
                                     if c in channels}}


def produce_and_issue(ctx: Context, user: User, case: Case, info: ElementInfo, data: dict[str, Any], task_id: str,
                      how: dict[str, Any]) -> Letter:
    """Render the letter from the task's data, record it, and issue it at once."""
    name = letters.produces_letter(info.properties, data)
    assert name is not None  # called only when ``sending`` found the completion produces a letter
    letter = letters.produce(ctx.session, ctx.settings, case, name, data, task_id, user.username)
    audit.record(ctx.session, user.username, "letter_produced", case.id, task_id=task_id,
                 element_id=info.element_id, data={"letter": name})
    ctx.session.flush()
    return letter_issue.issue_letter(ctx, user, letter, how, element_id=info.element_id)


def send_without_task(ctx: Context, user: User, case: Case, name: str) -> Letter:
    """A letter no task asks about (a supervisor ending a strategy): sent the way the person agreed, by the
    ways we hold an address for. With no address at all it stays a draft on the case, marked as such."""
    letter = letters.produce(ctx.session, ctx.settings, case, name, {}, None, user.username)
    audit.record(ctx.session, user.username, "letter_produced", case.id, data={"letter": name})
    ctx.session.flush()
    details = contact_details.of(ctx.session, case.id)
    known = {c: getattr(details, field) for c, field in (("post", "postal_address"), ("email", "email"))
             if details and getattr(details, field)}
    agreed = contact_details.default_channels(details, bool(ctx.settings.get("LETTERS_BY_POST_AND_EMAIL")))
    channels = [c for c in agreed if c in known] or list(known)
    if not channels:
        return letter
    how = {"channels": channels, **{field: known[c] for c, field in (("post", "postal_address"), ("email", "email"))
                                    if c in channels}}
    return letter_issue.issue_letter(ctx, user, letter, how)


@dataclass(frozen=True)
class Preview:
    """The letter a task will send, drawn from the case's data so far and what the form holds."""

    title: str
    html: str
    channels: list[str]
    postal_address: str | None
    email: str | None
    condition: str | None  # the field that decides whether the letter is sent at all (``letterWhen``)
    adjustments: str | None  # what was agreed with the person (large print, email only...), to check against
    language_needs: str | None  # CLE 8.6, WAR 5c: shown so the letter can be sent in a form they understand


def preview(ctx: Context, case: Case, info: ElementInfo, task_id: str,
            typed: dict[str, Any] | None = None) -> Preview | None:
    """The letter as it will be sent: dated today and addressed, with the form's answers so far."""
    name = info.properties.get("letter")
    if not name or name not in letters.template_names():
        return None
    run = CaseRun.load(ctx.bundles.get(case.process_version), case.state)
    task = run.task(task_id)
    answers = {**(task.data if task else {}), **(typed or {})}
    details = contact_details.of(ctx.session, case.id)
    both = bool(ctx.settings.get("LETTERS_BY_POST_AND_EMAIL"))
    channels = [c for c in ("post", "email") if c in ((typed or {}).get("delivery")
                                                      or contact_details.default_channels(details, both))]
    address = (typed or {}).get("postal_address") or (details.postal_address if details else None)
    email = (typed or {}).get("email") or (details.email if details else None)
    html = letters.render(name, case, letters.with_case_wide(ctx.session, case.id, answers), ctx.settings)
    html = letter_issue.dated(letter_issue.addressed(html, address if "post" in channels else None),
                              clock.now().date())
    return Preview(letters.TITLES.get(name, name), html, channels, address, email,
                   info.properties.get("letterWhen"), details.adjustments if details else None,
                   details.language_needs if details else None)
