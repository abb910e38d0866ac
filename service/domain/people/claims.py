"""Who is working on a task: claim, release, reassign. Each is in the case's audit record.

A claim tells colleagues who is on a task; it does not lock it (completing a
task someone else claimed needs an explicit override, on the task page and in
the API alike: ``tasks.complete_task`` holds that rule). Line
managers and supervisors can release anyone's claim and give a task to a named
person who holds its role.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update

from ...errors import Conflict, Forbidden, NotFound
from ...models import TaskRecord, TaskStatus, User, UserRole
from ..core import audit
from ..core.audit import AuditAction
from ..core.transaction import rowcount
from .permissions import Ability, can
from .roles import ROLES
from .users import find_user

if TYPE_CHECKING:
    from ..core.context import Session



def can_reassign(user: User) -> bool:
    return can(user, Ability.REASSIGN)


def _ready_task(session: Session, user: User, task_id: str, any_role: bool = False) -> TaskRecord:
    task = session.get(TaskRecord, task_id)
    if task is None:
        raise NotFound(f"There is no task {task_id}.")
    if not any_role and task.role not in user.roles:
        raise Forbidden(f"This task is for the {ROLES.get(task.role or '', task.role)} role, which you do not hold.")
    if task.status != TaskStatus.READY:
        raise Conflict(f"The task '{task.title}' is already {task.status}.")
    return task


def claim(session: Session, user: User, task_id: str) -> TaskRecord:
    task = _ready_task(session, user, task_id)
    # One conditional UPDATE, so two people pressing "Claim" at once cannot both win.
    won = rowcount(session.execute(
        update(TaskRecord).where(TaskRecord.id == task.id, TaskRecord.status == TaskStatus.READY,
                                 or_(TaskRecord.claimed_by.is_(None), TaskRecord.claimed_by == user.username))
        .values(claimed_by=user.username).execution_options(synchronize_session="fetch")))
    if won != 1:
        session.refresh(task)
        raise Conflict(f"{names(session, [task.claimed_by]).get(task.claimed_by or '', task.claimed_by)} is already "
                       f"working on '{task.title}'. Ask them, a line manager or a supervisor to release it.")
    audit.record(session, user.username, AuditAction.TASK_CLAIMED, task.case_id, task_id=task.id, element_id=task.element_id)
    return task


def release(session: Session, user: User, task_id: str) -> TaskRecord:
    task = _ready_task(session, user, task_id, any_role=can_reassign(user))
    if task.claimed_by is None:
        raise Conflict(f"Nobody is working on '{task.title}'.")
    if task.claimed_by != user.username and not can_reassign(user):
        raise Forbidden("Only the person working on a task, a line manager or a supervisor can release it.")
    audit.record(session, user.username, AuditAction.TASK_RELEASED, task.case_id, task_id=task.id, element_id=task.element_id,
                 data={"from": task.claimed_by})
    task.claimed_by = None
    return task


def reassign(session: Session, user: User, task_id: str, username: str, reason: str) -> TaskRecord:
    """Give a ready task to someone holding its role; the reason goes on the case's record."""
    if not can_reassign(user):
        raise Forbidden("Only a line manager or a supervisor can reassign a task.")
    task = _ready_task(session, user, task_id, any_role=True)
    if not username:
        raise Conflict("Choose who should work on the task.")
    audit.required_reason(reason, "reassigning the task")
    assignee = find_user(session, username)
    if not assignee.active or task.role not in assignee.roles:
        raise Conflict(f"{assignee.display_name} does not hold the role this task needs "
                       f"({ROLES.get(task.role or '', task.role)}).")
    task.claimed_by = assignee.username
    audit.record(session, user.username, AuditAction.TASK_REASSIGNED, task.case_id, task_id=task.id,
                 element_id=task.element_id, data={"to": assignee.username, "reason": reason.strip()})
    return task


def candidates(session: Session, roles: Iterable[str | None]) -> dict[str, list[User]]:
    """For each role, the active people who hold it: whom a task in that role can be given to."""
    wanted = {role for role in roles if role}
    found: dict[str, list[User]] = {role: [] for role in wanted}
    query = (select(User, UserRole.role).join(UserRole, UserRole.user_id == User.id)
             .where(UserRole.role.in_(wanted), User.active.is_(True)).order_by(User.display_name, User.username))
    for person, role in session.execute(query):
        found[role].append(person)
    return found


def names(session: Session, usernames: Iterable[str | None]) -> dict[str, str]:
    """Display names for usernames (the record and claims store usernames)."""
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    return dict(session.execute(select(User.username, User.display_name).where(User.username.in_(wanted))).all())
