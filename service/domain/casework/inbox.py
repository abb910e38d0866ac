"""The inbox query: ready tasks for the user's roles with their case, most urgent first."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ...models import Case, CaseStatus, TaskRecord, TaskStatus, User

if TYPE_CHECKING:
    from ..core.context import Session


@dataclass
class InboxFilters:
    role: str | None = None
    element_id: str | None = None
    page: int = 1
    per_page: int = 25


def inbox(session: Session, user: User, filters: InboxFilters) -> tuple[list[tuple[TaskRecord, Case]], int, list[tuple[str, str]]]:
    """(rows, total, task types on offer): due soonest first, then oldest; the id keeps pages apart."""
    roles = [filters.role] if filters.role in user.roles else list(user.roles)
    base = select(TaskRecord, Case).join(Case, Case.id == TaskRecord.case_id).where(
        TaskRecord.status == TaskStatus.READY, TaskRecord.role.in_(roles), Case.status == CaseStatus.ACTIVE)
    types = sorted((row[0], row[1]) for row in session.execute(
        select(TaskRecord.element_id, TaskRecord.title).distinct()
        .where(TaskRecord.status == TaskStatus.READY, TaskRecord.role.in_(roles))).all())
    if filters.element_id:
        base = base.where(TaskRecord.element_id == filters.element_id)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(TaskRecord.due_at.asc().nulls_last(), TaskRecord.created_at, TaskRecord.id)
                           .offset((filters.page - 1) * filters.per_page).limit(filters.per_page)).all()
    return [(task, case) for task, case in rows], total, types
