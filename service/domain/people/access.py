"""Need to know: who may see a case.

Staff see a case they started, or one where they hold the role of one of its
current or past tasks; supervisors see every case. Everyone else gets "not
found", so the existence of a case is not disclosed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, exists, or_, select, true

from ...errors import NotFound
from ...models import Case, TaskRecord, User
from .permissions import Ability, can

if TYPE_CHECKING:
    from ..core.context import Session



def visible_filter(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``Case`` selecting the cases ``user`` may see."""
    if can(user, Ability.SEE_ALL_CASES):
        return true()
    held = exists(select(TaskRecord.id).where(TaskRecord.case_id == Case.id, TaskRecord.role.in_(user.roles)))
    return or_(Case.created_by == user.username, held)


def load_visible_case(session: Session, user: User, case_id: int, for_update: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id, visible_filter(user))
    if for_update:
        query = query.with_for_update(of=Case)
    case: Case | None = session.scalar(query)
    if case is None:
        raise NotFound(f"There is no case {case_id} that you can see.")
    return case
