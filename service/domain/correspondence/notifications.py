"""Telling staff by email that a task has arrived for their role, or has become overdue.

The worker does this, never the completion that made the task, so completing
stays fast and a mail problem cannot stop casework. Each task is announced
once (``TaskRecord.notified_at``, claimed with a conditional ``UPDATE`` so two
workers never both announce it); ``timers.record_overdue`` calls
``announce_overdue`` in the transaction that records the task overdue, so the
overdue email is queued with that record, never without it. A task someone is working on goes to that
person only; otherwise to every active holder of its role who has an email
address and has not turned these emails off.

The emails carry the case reference and the task's title, never the person's
name or anything else about them: staff mailboxes are not need-to-know. They
are not linked to the case, so a subject access export does not hand the
person their caseworkers' addresses; supervisors see them on the outbox page.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ...engine import clock
from ...models import Case, CaseStatus, TaskRecord, TaskStatus, User
from ..core.transaction import rowcount, transaction
from ..people.claims import candidates
from ..people.roles import ROLES
from . import mail
from .letters import reference

if TYPE_CHECKING:
    from ..core.context import Context, Session

LONDON = ZoneInfo("Europe/London")


def announce_new_tasks(ctx: Context, limit: int = 200) -> int:
    """Queue the arrival emails of tasks not yet announced (one transaction); returns how many."""
    session, queued = ctx.session, 0
    with transaction(session):
        rows = session.execute(
            select(TaskRecord, Case.status).join(Case, Case.id == TaskRecord.case_id)
            .where(TaskRecord.notified_at.is_(None)).order_by(TaskRecord.created_at, TaskRecord.id).limit(limit)
            .with_for_update(of=TaskRecord, skip_locked=True)).all()
        now, wanted = clock.now(), []
        for task, case_status in rows:
            won = _claim(session, task.id, now)  # every row is marked, so none is looked at again
            if won and task.status == TaskStatus.READY and case_status == CaseStatus.ACTIVE:  # done or suspended: nothing to say
                wanted.append(task)
        people = _recipients(session, wanted)
        for task in wanted:
            ref = reference(task.case_id)
            for user in people[task.id]:
                _queue(ctx, user, task, "task_arrived", f"A task is waiting for you: {task.title} on case {ref}",
                       f"A task has arrived for the {_role(task)} role: {task.title}, on case {ref}.")
                queued += 1
    return queued


def announce_overdue(ctx: Context, tasks: list[TaskRecord]) -> int:
    """Queue the overdue emails of tasks just recorded overdue (in the caller's transaction)."""
    active = set(ctx.session.scalars(select(Case.id).where(Case.id.in_({t.case_id for t in tasks}),
                                                          Case.status == CaseStatus.ACTIVE))) if tasks else set()
    tasks = [t for t in tasks if t.case_id in active]
    people, queued = _recipients(ctx.session, tasks), 0
    for task in tasks:
        assert task.due_at is not None  # only a task with a due date becomes overdue
        due, ref = task.due_at.astimezone(LONDON), reference(task.case_id)
        for user in people[task.id]:
            _queue(ctx, user, task, "task_overdue", f"Overdue: {task.title} on case {ref}",
                   f"A task for the {_role(task)} role is overdue: {task.title}, on case {ref}. "
                   f"It was due on {due.day} {due:%B %Y} at {due:%H:%M}.")
            queued += 1
    return queued


def _claim(session: Session, task_id: str, now: datetime) -> bool:
    won = session.execute(update(TaskRecord).where(TaskRecord.id == task_id, TaskRecord.notified_at.is_(None))
                          .values(notified_at=now).execution_options(synchronize_session=False))
    return rowcount(won) == 1


def _recipients(session: Session, tasks: list[TaskRecord]) -> dict[str, list[User]]:
    """Per task: the person working on it, or else the holders of its role; only those with an
    address who want these emails."""
    holders = candidates(session, {t.role for t in tasks if t.role})
    found = {}
    for task in tasks:
        people = [u for u in holders.get(task.role or '', []) if u.email and u.notify_by_email]
        found[task.id] = [u for u in people if u.username == task.claimed_by] if task.claimed_by else people
    return found


def _queue(ctx: Context, user: User, task: TaskRecord, kind: str, subject: str, opening: str) -> None:
    base = str(ctx.settings.get("BASE_URL") or "").rstrip("/")
    body = (f"{opening}\n\nOpen the task: {base}/tasks/{task.id}\n\n"
            f"You get these emails because you hold the {_role(task)} role. "
            f"To stop them, change your settings at {base}/account\n")
    mail.queue(ctx.session, ctx.settings, to=(user.email or "").strip(), subject=subject, body=body, kind=kind)


def _role(task: TaskRecord) -> str:
    return ROLES.get(task.role or "", task.role or "")
