"""When a contact strategy is next reviewed (CLE 9.12, WM 4.4: at least every three months).

Reviews follow a fixed calendar: the first falls ``review_interval`` after the
strategy starts, each later one ``review_interval`` after the previous review
was *due*, not after it was done, so a late review never pushes the next one
back. A task marked with the diagram property ``schedulesReview`` sets
``next_review_at`` in the case data when it completes; the strategy's
``review_due`` timer waits for that date.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import isodate

PROPERTY = "schedulesReview"  # "from_today" (the strategy starts) or "from_due_date" (a review)
FIELD = "next_review_at"


def next_review(properties: dict[str, Any], case_data: dict[str, Any], submitted: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The ``next_review_at`` a completing task adds to its data ({} when it schedules nothing)."""
    basis = properties.get(PROPERTY)
    interval = submitted.get("review_interval") or case_data.get("review_interval")
    if not basis or not interval:
        return {}
    start = now
    if basis == "from_due_date" and case_data.get(FIELD):
        start = datetime.fromisoformat(case_data[FIELD])
    return {FIELD: (start + isodate.parse_duration(interval)).isoformat()}


def due_date(data: dict[str, Any]) -> date | None:
    """The date the next review is due, from a task's data (None before any is scheduled)."""
    value = data.get(FIELD)
    return datetime.fromisoformat(value).date() if value else None
