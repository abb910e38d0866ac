"""Letters: rendered from the case's data when the producing task completes, and kept.

A letter starts as a draft; ``letter_issue`` turns it into the PDF that is sent.
A user task names its letter in the ``letter`` property (and, optionally, a
``letterWhen`` field that must be true, e.g. ``reminder_sent``). Templates
live in ``service/templates/letters/<name>.html``; they see the case row, the
case data (submitted fields included) and a few computed values. The HTML is
stored as rendered, so what was sent can be shown later.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import isodate
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ...engine import clock
from ...models import Case, Letter
from ..core import reviews, terms
from ..core.vocabulary import case_reference

if TYPE_CHECKING:
    from ..core.context import Session

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "letters"
TITLES = {
    "warning_letter": "Warning about your contact with us",
    "contact_strategy_letter": "How we will manage your contact with us",
    "strategy_change_letter": "A change to how we will manage your contact",
    "strategy_end_letter": "The end of the arrangements for your contact",
    "breach_reminder_letter": "A reminder of the arrangements for your contact",
    "dispute_outcome_letter": "The outcome of your dispute",
    "signposting_letter": "Where to take your matter",
}
LABELS = {
    "no_abuse_tolerated": "No abuse of our staff will be tolerated",
    "confirm_matters_summary": "Please confirm a summary of the matters you want us to deal with",
    "correspondence_structure": "Please set out your correspondence clearly, one matter at a time",
    "correspondence_address": "Please write to the address we give you",
    "signposting": "Please use the services we have pointed you to for matters we cannot deal with",
    "single_point_of_contact": "Please deal with your single point of contact",
    "limit_call_duration": "Telephone calls will be limited in length",
    "scheduled_calls": "Telephone calls will take place at scheduled times",
    "written_contact_only": "Contact with us must be in writing",
    "email_only": "Contact with us must be by email",
    "post_only": "Contact with us must be by post",
    "recorded_calls": "Telephone calls will be recorded",
    "dedicated_mailbox": "Please use the dedicated mailbox we give you",
    "block_channel": "One way of contacting us will be blocked",
    "advocate_required": "Please contact us through an advocate or representative",
    "no_reopen_closed_matter": "We will not reopen matters that are closed",
    "log_without_response": "Contact about this matter will be read and logged without a reply",
    "limit_contact_frequency": "How often you may contact us will be limited",
    "premises_ban": "You may not visit our premises",
    "no_further_engagement": "We will not engage further on this matter",
    "uphold": "The contact strategy stays in place",
    "vary": "The contact strategy is changed",
    "end_restrictions": "The restrictions are ended",
}
CASE_WIDE_FIELDS = ("restrictions", "fresh_matters_route", "reason")  # a reminder restates terms and reasons
POLICY_SUMMARY_NAME = "policy-on-managing-contact-summary.pdf"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.filters["label"] = lambda value: LABELS.get(value, str(value).replace("_", " "))
_env.filters["uk_date"] = lambda d: f"{d.day} {d:%B %Y}" if d else ""


def template_names() -> set[str]:
    """The letters a diagram's ``letter`` property may name (``_letter.html`` is the letterhead)."""
    return {path.stem for path in TEMPLATES.glob("*.html") if not path.name.startswith("_")}


def produces_letter(properties: dict[str, Any], data: dict[str, Any]) -> str | None:
    name = properties.get("letter")
    condition = properties.get("letterWhen")
    if not name or (condition and not data.get(condition)):
        return None
    return str(name)


def reference(case_id: int) -> str:
    """The case reference printed on letters and quoted in email."""
    return case_reference(case_id)


def render(name: str, case: Case, data: dict[str, Any], settings: dict[str, Any]) -> str:
    today = clock.now().date()
    values = {"case": case, "data": _Data(data), "today": today, "title": TITLES.get(name, name),
              "first_review": reviews.due_date(data) or _after(today, data.get("review_interval")), "reference": reference(case.id),
              "office": office(settings), "dispute_contact": chief_executive(settings),
              "policy_file": policy_file_name(settings)}
    return _env.get_template(f"{name}.html").render(**values)


def render_summary(settings: dict[str, Any]) -> str:
    """The default policy summary enclosed with strategy letters (``policy_enclosure``)."""
    return _env.get_template("_policy_summary.html").render(office=office(settings))


def policy_file_name(settings: dict[str, Any]) -> str:
    """The enclosed policy's file name, as the letter names it and the email attaches it."""
    configured = settings.get("POLICY_PDF")
    return Path(str(configured)).name if configured else POLICY_SUMMARY_NAME


@dataclass(frozen=True)
class ChiefExecutive:
    """Where a strategy is disputed (WAR 7.3, SCO 5.3): postal address lines and email."""
    address: str
    email: str


def chief_executive(settings: dict[str, Any]) -> ChiefExecutive:
    lines = _lines(settings.get("CHIEF_EXECUTIVE_ADDRESS") or "") or _lines(settings.get("OFFICE_ADDRESS") or "")
    return ChiefExecutive(lines, str(settings.get("CHIEF_EXECUTIVE_EMAIL") or ""))


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in re.split(r"[,\n]", str(text)) if line.strip())


def produce(session: Session, settings: dict[str, Any], case: Case, name: str, data: dict[str, Any],
            task_id: str | None, actor: str) -> Letter:
    """The letter on the case as a draft; ``letter_delivery`` issues it in the same transaction.

    Fields that describe the strategy in force (``CASE_WIDE_FIELDS``) come from the latest
    answer recorded on the case when the task's own data lacks them: a breach reminder,
    produced inside a sub-process, still restates the arrangements, and the latest terms put in
    force (``terms``) replace any older copy the task's branch still holds."""
    data = with_case_wide(session, case.id, data)
    letter = Letter(case_id=case.id, name=name, title=TITLES.get(name, name), html=render(name, case, data, settings),
                    task_id=task_id, created_by=actor, created_at=clock.now(), status="draft")
    session.add(letter)
    return letter


def with_case_wide(session: Session, case_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the strategy's terms (``CASE_WIDE_FIELDS``) from the case's record where it lacks them;
    the terms last put in force win over a branch's older copy (a reminder restates the current terms, CLE 9.11)."""
    recorded = terms.recorded_answers(session, case_id)
    return {**{k: recorded[k] for k in CASE_WIDE_FIELDS if k in recorded}, **data, **terms.in_force(session, case_id)}


@dataclass(frozen=True)
class Office:
    name: str
    address: str
    logo: str  # a data: URL, so the stored letter needs nothing else to be shown or printed


def office(settings: dict[str, Any]) -> Office:
    address = _lines(settings.get("OFFICE_ADDRESS") or "")
    return Office(settings.get("OFFICE_NAME") or "", address, _logo(str(settings.get("OFFICE_LOGO") or "")))


@lru_cache(maxsize=4)
def _logo(path: str) -> str:
    file = Path(path)
    if not path or not file.is_file():
        return ""
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode()}"


def _after(start: date, period: str | None) -> date | None:
    if not period:
        return None
    try:
        return start + isodate.parse_duration(period)  # type: ignore[no-any-return]  # isodate is untyped
    except (isodate.ISO8601Error, ValueError):
        return None


class _Data(dict[str, Any]):
    """Case data for templates: a missing field reads as empty, not as an error."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name) or ""
