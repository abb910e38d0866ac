"""The contact strategy as it stands, for the top of the case page: when it started, the
restrictions agreed, the next review, the changes authorised since and the letters sent.

Read from the case's audit record (each completion's answers are there), so it needs no
engine load: the strategy starts when its letter task completes (``notify_contact_strategy``),
a change counts once an authorising officer approves it (``authorise_amendment``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import AuditEvent, Case, Letter, StageVisit
from ..core.reviews import FIELD as NEXT_REVIEW
from ..correspondence.letters_store import letters_of

STARTS = "notify_contact_strategy"
AUTHORISES_CHANGE = "authorise_amendment"
SHOWN = ("objective", "restrictions", "review_interval", "fresh_matters_route")  # the latest answer of each


@dataclass
class Amendment:
    approved_at: datetime
    approved_by: str
    changes: str


@dataclass
class StrategyInForce:
    started_at: datetime
    in_force: bool  # False once the case has closed
    answers: dict[str, Any]  # the strategy's recorded answers: restrictions, review_interval, objective...
    next_review: date | None
    amendments: list[Amendment] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)


def strategy_of(session: Session, case: Case) -> StrategyInForce | None:
    """The strategy on the case, or None if none has started."""
    events = list(session.scalars(select(AuditEvent).where(
        AuditEvent.case_id == case.id, AuditEvent.action == "task_completed").order_by(AuditEvent.id)))
    started = next((e for e in events if e.element_id == STARTS), None)
    if started is None:
        return None
    answers: dict[str, Any] = {}
    amendments, next_review, changes = [], None, ""
    for event in events:
        data = event.data or {}
        answers.update({k: v for k, v in data.items() if k in SHOWN})
        if data.get(NEXT_REVIEW):
            next_review = datetime.fromisoformat(data[NEXT_REVIEW]).date()
        if data.get("changes"):
            changes = str(data["changes"])
        if event.element_id == AUTHORISES_CHANGE and data.get("decision") == "approve" and event.id > started.id:
            amendments.append(Amendment(event.created_at, event.actor, changes))
    return StrategyInForce(started.created_at, case.status == "active", answers, next_review, amendments,
                           letters_of(session, case.id))


def stage_visits(session: Session, case_id: int) -> list[StageVisit]:
    """The case's stays in each stage, oldest first: the case page groups its record by them."""
    return list(session.scalars(select(StageVisit).where(StageVisit.case_id == case_id)
                                .order_by(StageVisit.entered_at, StageVisit.id)))
