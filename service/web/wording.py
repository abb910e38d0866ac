"""Plain English for the keys the process uses: roles, stages, outcomes, messages,
and the "what happens next" line shown after staff act on a case."""
from __future__ import annotations

import re

from ..domain.core.vocabulary import case_reference, stage_title
from ..domain.people.roles import ROLES
from ..models.statuses import CaseStatus

OUTCOMES = {
    "closed_no_action": "no further action",
    "closed_resolved": "resolved after putting our handling right",
    "closed_after_warning": "closed after the warning and monitoring",
    "closed_strategy_ended": "the contact strategy ended",
    "closed_signposted": "we cannot deal with the matter; the person was told where to take it",
}
STATUSES = {"active": "Open", "closed": "Closed", "suspended": "Suspended", "terminated": "Stopped by a supervisor"}
# message name -> (the action staff take, what the record says was done)
MESSAGES = {
    "further_incident": ("Log a further incident", "Logged a further incident"),
    "contact_received": ("Log a contact for review", "Logged a contact for review"),
    "breach_reported": ("Report a breach", "Reported a breach of the contact strategy"),
    "dispute_received": ("Record a dispute", "Recorded a dispute of the contact strategy"),
    "partner_sharing_requested": ("Request partner sharing", "Requested sharing with a partner agency"),
    "social_media_post": ("Record a social media post", "Recorded a social media post"),
}


def words(key: str | None) -> str:
    return (key or "").replace("_", " ")


def role_title(key: str | None) -> str:
    return ROLES.get(key or "", words(key).capitalize())


def case_ref(case_id: int | None) -> str:
    return case_reference(case_id) if case_id is not None else ""


def outcome_title(key: str | None) -> str:
    return OUTCOMES.get(key or "", words(key))


def status_title(key: str | None) -> str:
    return STATUSES.get(key or "", words(key).capitalize())


def message_action(name: str) -> str:
    return MESSAGES.get(name, (f"Send: {words(name)}",))[0]


def message_done(name: str) -> str:
    return MESSAGES[name][1] if name in MESSAGES else f"Sent: {words(name)}"


def with_article(title: str) -> str:
    return ("an " if title[:1].lower() in "aeiou" else "a ") + title


def what_next(done: str, case, new_tasks) -> str:
    """E.g. "Discuss the incident is done. Next on case B-000004: Check ... (for a Case Officer)."."""
    if case.status == CaseStatus.CLOSED:
        outcome = f": {outcome_title(case.outcome)}" if case.outcome else ""
        return f"{done}. Case {case_reference(case.id)} is now closed{outcome}."
    if new_tasks:
        steps = "; ".join(f"{task.title} (for {with_article(role_title(task.role))})" for task in new_tasks)
        return f"{done}. Next on case {case_reference(case.id)}: {steps}."
    return f"{done}. Case {case_reference(case.id)} is at the stage: {stage_title(case.stage)}."


FILTERS = {"role_title": role_title, "stage_title": stage_title, "case_ref": case_ref, "outcome_title": outcome_title,
           "status_title": status_title, "message_action": message_action}


def register(bp) -> None:
    """Template filters, app-wide once the blueprint is registered."""
    for name, function in FILTERS.items():
        bp.add_app_template_filter(function, name)


_CLAUSES = re.compile(r"\s*\(((?:[A-Z]{2,4} \d[\d.\u2013-]*)(?:,\s*[A-Z]{2,4} \d[\d.\u2013-]*)*)\)\s*\.?$")


def policy_parts(documentation: str) -> tuple[str, list[str]]:
    """A task's documentation and the policy clauses it ends with: "... (WM 4.1, CLE 4.5)"."""
    found = _CLAUSES.search(documentation or "")
    if not found:
        return documentation or "", []
    return documentation[:found.start()].strip(), [c.strip() for c in found.group(1).split(",")]
