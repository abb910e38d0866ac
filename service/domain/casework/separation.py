"""Four eyes (SCO 5.3, WAR 7): whoever proposed or raised something does not also decide it.

A user task's ``separationOf`` property names earlier tasks (element ids, separated by
spaces). The person who completed the latest of each before this task arrived, on
the same case, may not complete this one, whatever roles they hold. Task rows
record who completed them (``TaskRecord.completed_by``), so this is one query,
run only for tasks that carry the property.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...models import TaskRecord, TaskStatus

if TYPE_CHECKING:
    from ..core.context import Session

PROPERTY = "separationOf"


def refusal(session: Session, record: TaskRecord, properties: dict[str, Any], username: str) -> str | None:
    """Why ``username`` may not complete the task ``record``, or None when they may."""
    earlier = properties.get(PROPERTY, "").split()
    if not earlier:
        return None
    rows = session.execute(
        select(TaskRecord.element_id, TaskRecord.title, TaskRecord.completed_by)
        .where(TaskRecord.case_id == record.case_id, TaskRecord.element_id.in_(earlier),
               TaskRecord.status == TaskStatus.COMPLETED, TaskRecord.completed_at <= record.created_at)
        .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()))
    latest: dict[str, tuple[str, str | None]] = {}
    for element_id, title, completed_by in rows:
        latest.setdefault(element_id, (title, completed_by))
    for title, completed_by in latest.values():
        if completed_by == username:
            return (f"You did ‘{title}’ on this case, so someone else must do ‘{record.title}’: the person who "
                    f"proposes or raises something cannot also decide it (four eyes, SCO 5.3, WAR 7). "
                    f"Ask another holder of the role to do it.")
    return None
