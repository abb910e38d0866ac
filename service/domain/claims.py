"""Who is working on a task: claim, release, reassign. Each is in the case's audit record."""
from __future__ import annotations

from ..errors import Conflict, Forbidden, NotFound
from ..models import TaskRecord, User
from . import audit
from .users import find_user

REASSIGNERS = frozenset({"supervisor", "line_manager"})


def _ready_task(session, user: User, task_id: str, any_role: bool = False) -> TaskRecord:
    task = session.get(TaskRecord, task_id)
    if task is None:
        raise NotFound(f"There is no task {task_id}.")
    if not any_role and task.role not in user.roles:
        raise Forbidden(f"This task is for the role '{task.role}', which you do not hold.")
    if task.status != "ready":
        raise Conflict(f"The task '{task.title}' is already {task.status}.")
    return task


def claim(session, user: User, task_id: str) -> TaskRecord:
    task = _ready_task(session, user, task_id)
    if task.claimed_by and task.claimed_by != user.username:
        raise Conflict(f"{task.claimed_by} is already working on '{task.title}'. Ask them, or a manager, to release it.")
    task.claimed_by = user.username
    audit.record(session, user.username, "task_claimed", task.case_id, task_id=task.id, element_id=task.element_id)
    return task


def release(session, user: User, task_id: str) -> TaskRecord:
    task = _ready_task(session, user, task_id, any_role=bool(REASSIGNERS & user.roles))
    if task.claimed_by != user.username and not REASSIGNERS & user.roles:
        raise Forbidden("Only the person working on a task, a line manager or a supervisor can release it.")
    task.claimed_by = None
    audit.record(session, user.username, "task_released", task.case_id, task_id=task.id, element_id=task.element_id)
    return task


def reassign(session, user: User, task_id: str, username: str) -> TaskRecord:
    if not REASSIGNERS & user.roles:
        raise Forbidden("Only a line manager or a supervisor can reassign a task.")
    task = _ready_task(session, user, task_id, any_role=True)
    assignee = find_user(session, username)
    if task.role not in assignee.roles:
        raise Conflict(f"{assignee.display_name} does not hold the role this task needs ({task.role}).")
    task.claimed_by = assignee.username
    audit.record(session, user.username, "task_reassigned", task.case_id, task_id=task.id,
                 element_id=task.element_id, data={"to": assignee.username})
    return task
