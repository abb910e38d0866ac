"""Whether needs or reasonable adjustments are on record, for the gates that hold up a restriction.

CLE 8.5, 9.13, 9.14 and WAR 5: when the person's needs or adjustments are on record,
equality advice comes before any strategy or change to it is authorised, whatever the
proposer ticked. The answers may have been given anywhere on the case (at the start,
in the causes check, in a proposal), and a change can start in a branch that never saw
them (a breach, a dispute), so the domain works it out from the case's record: a task
with the diagram property ``notesNeeds`` adds ``needs_on_record`` to its data when it
completes, and the diagram's gate reads that.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import terms

if TYPE_CHECKING:
    from .context import Session

PROPERTY = "notesNeeds"
FIELD = "needs_on_record"
# The answers that put needs on record: free text told at the start, the causes check, a proposal.
NEEDS_FIELDS = ("additional_needs", "reasonable_adjustments", "additional_needs_identified", "adjustments_required",
                "adjustments_considered",
                # kept with the person's contact details (correspondence.contact_details), passed in by the caller:
                "adjustments", "language_needs")


def notes_needs(properties: dict[str, Any]) -> bool:
    return properties.get(PROPERTY) == "true"


def noted(session: Session, properties: dict[str, Any], case_id: int, submitted: dict[str, Any],
          contact: dict[str, Any] | None = None) -> dict[str, Any]:
    """``{"needs_on_record": bool}`` for a task that notes needs; {} for any other. ``contact``: the
    person's contact details, whose agreed adjustments and language or interpreter need count too
    (CLE 8.6, WAR 5c)."""
    if not notes_needs(properties):
        return {}
    answers = {**(contact or {}), **terms.recorded_answers(session, case_id), **submitted}
    return {FIELD: any(_given(answers.get(name)) for name in NEEDS_FIELDS)}


def _given(value: object) -> bool:
    return value.strip() != "" if isinstance(value, str) else bool(value)
