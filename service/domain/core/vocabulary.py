"""The one vocabulary staff read: stage titles and the case reference.

Every page (Cases, Monitoring, reports, the modeller's stage choices), letter
and email takes a stage's title and a case's reference from here, so a case
is never "Checking underlying causes" in one place and "causes check" in
another, nor "Case 1" on a page and "B-000001" on the letter the person quotes.
"""
from __future__ import annotations

import re

# The spec's stages in the order a case moves through them (when parallel branches
# sit in different stages, the furthest one is the case's stage), with their titles.
STAGE_TITLES: dict[str, str] = {
    "recorded": "Incident recorded",
    "manager_review": "Manager review",
    "causes_check": "Checking underlying causes",
    "warning": "Warning",
    "monitoring": "Monitoring after a warning",
    "strategy_proposal": "Contact strategy being proposed",
    "authorisation": "Contact strategy awaiting authorisation",
    "notification": "Telling the person about the contact strategy",
    "strategy_active": "Contact strategy in place",
    "closed": "Closed",
}
STAGES: tuple[str, ...] = tuple(STAGE_TITLES)


def stage_title(key: str | None) -> str:
    """A stage's title; a stage a process owner added in the modeller reads as its key in words."""
    return STAGE_TITLES.get(key or "", (key or "").replace("_", " ").capitalize())


def case_reference(case_id: int) -> str:
    """The case's reference on every page, letter and email: B-000042 (the number is the case's id,
    still used in addresses such as /cases/42)."""
    return f"B-{case_id:06d}"


def case_number(text: str) -> int | None:
    """The case id a search names, as its reference (B-000004, b4) or its number (4); else None."""
    found = re.fullmatch(r"(?:[Bb]-?)?0*(\d{1,9})", text.strip())
    return int(found.group(1)) if found else None
