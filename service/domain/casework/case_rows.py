"""The indexed rows a case's engine state implies: ready task rows, timer rows, message rows.

The inbox, the worker and message delivery read these rows and never the
engine state, so ``persistence.save_run`` keeps them in step with it on every
save, in the same transaction.

Rows are written from what changed, not read first. The caller takes a
``RowPicture`` of the run as it loaded it (under the case's lock); the rows
the last save wrote match it. So the tasks that left the ready set are closed
with one ``UPDATE ... RETURNING`` (a stray ready row the engine does not have
is closed too), new tasks are inserted, and timers and messages are rewritten
only when they changed. If the rows turn out not to match the picture (a task
it calls ready has no ready row), the save reads the rows and reconciles them;
without a picture (a migrated case) it always does.

The statements are built once, with bound parameters: building one per call
costs SQLAlchemy more than running it (measured in docs/performance.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import isodate
from sqlalchemy import bindparam, case as sql_case, delete, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ...engine import CaseRun, ElementInfo, ReadyTask
from ...models import Case, MessageWait, TaskRecord, TaskStatus, TimerRecord
from ..people.roles import role_for_lane

if TYPE_CHECKING:
    from ..core.context import Context, Session


@dataclass(frozen=True)
class RowPicture:
    """What a run's rows hold: its ready task ids, timers (name, due) and message names."""
    ready: frozenset[str]
    timers: tuple[tuple[str, datetime | None], ...]
    messages: tuple[str, ...]

    @classmethod
    def of(cls, run: CaseRun) -> RowPicture:
        timers, messages = waits_of(run)
        return cls(frozenset(task.id for task in run.ready_tasks()), tuple(timers), tuple(messages))


NOTHING_SAVED = RowPicture(frozenset(), (), ())  # a case never saved has no rows

_TASKS = TaskRecord.__table__
_CLOSE_TASKS = (
    update(_TASKS)
    .where(_TASKS.c.case_id == bindparam("b_case"), _TASKS.c.status == TaskStatus.READY,
           _TASKS.c.id.not_in(bindparam("b_still_ready", expanding=True)))
    .values(status=sql_case((_TASKS.c.id == bindparam("b_done"), TaskStatus.COMPLETED.value), else_=TaskStatus.CANCELLED.value),
            completed_at=bindparam("b_now"),
            completed_by=sql_case((_TASKS.c.id == bindparam("b_done"), bindparam("b_by")), else_=None))
    .returning(_TASKS.c.id))
_INSERT_TASKS = insert(_TASKS)
_INSERT_TIMERS = insert(TimerRecord.__table__)
_INSERT_MESSAGES = insert(MessageWait.__table__)


def write_task_changes(ctx: Context, case: Case, ready: dict[str, Any], now: datetime, before: RowPicture,
                       completed_task_id: str | None, completed_by: str | None) -> list[TaskRecord] | None:
    """Close the tasks that left the ready set and insert the new ones, reading no rows first.

    ``ready`` is the run's ready tasks by id. Returns the ready rows (oldest
    first), or None when the stored rows do not match ``before``; then nothing
    has been inserted and the caller reconciles.
    """
    session = ctx.session
    closed: set[str] = set()
    if before is not NOTHING_SAVED:
        closed = {task_id for (task_id,) in session.execute(_CLOSE_TASKS, {
            "b_case": case.id, "b_still_ready": list(ready), "b_done": completed_task_id, "b_now": now,
            "b_by": completed_by})}
    for task_id in closed:
        _mirror(session, task_id, _closing(task_id, completed_task_id, completed_by, now))
    if not before.ready - ready.keys() <= closed:
        return None
    kept_ids = [task_id for task_id in ready if task_id in before.ready]
    kept = list(session.scalars(select(TaskRecord).where(TaskRecord.id.in_(kept_ids),
                                                         TaskRecord.status == TaskStatus.READY))) if kept_ids else []
    if len(kept) != len(kept_ids):
        return None
    new_rows = [_new_row(ctx, case, task, now) for task_id, task in ready.items() if task_id not in before.ready]
    if new_rows:
        session.execute(_INSERT_TASKS, new_rows)
    rows = kept + [TaskRecord(**row) for row in new_rows]  # the answer's copies; the rows are in the table
    return sorted(rows, key=lambda row: (row.created_at, row.id))


def sync_tasks(ctx: Context, case: Case, ready: dict[str, Any], now: datetime, completed_task_id: str | None,
               completed_by: str | None) -> list[TaskRecord]:
    """Read the case's ready rows and reconcile them with the engine (the path without a picture)."""
    session = ctx.session
    known = {row.id: row for row in session.scalars(
        select(TaskRecord).where(TaskRecord.case_id == case.id, TaskRecord.status == TaskStatus.READY))}
    for task_id, row in known.items():
        if task_id not in ready:
            for key, value in _closing(task_id, completed_task_id, completed_by, now).items():
                setattr(row, key, value)
    rows = []
    for task_id, task in ready.items():
        found = known.get(task_id)
        if found is None:
            found = TaskRecord(**_new_row(ctx, case, task, now))
            session.add(found)
        rows.append(found)
    return sorted(rows, key=lambda row: (row.created_at, row.id))


def _new_row(ctx: Context, case: Case, task: ReadyTask, now: datetime) -> dict[str, Any]:
    return {"id": task.id, "case_id": case.id, "element_id": task.info.element_id, "title": task.info.title,
            "role": role_for_lane(task.info.lane), "status": "ready", "created_at": now,
            "due_at": due_at(ctx, task.info, now)}


def _closing(task_id: str, completed_task_id: str | None, completed_by: str | None, now: datetime) -> dict[str, Any]:
    """A ready row that left the ready set: the completed task, or one cancelled with it."""
    if task_id == completed_task_id:
        return {"status": "completed", "completed_at": now, "completed_by": completed_by}
    return {"status": "cancelled", "completed_at": now, "completed_by": None}


def _mirror(session: Session, task_id: str, values: dict[str, Any]) -> None:
    """Keep a task row already loaded in this session in step with an UPDATE that bypassed it."""
    row = session.identity_map.get(session.identity_key(TaskRecord, task_id))
    if row is not None:
        for key, value in values.items():
            set_committed_value(row, key, value)


def due_at(ctx: Context, info: ElementInfo, start: datetime) -> datetime | None:
    """When a task falls due: a setting per element id wins over the diagram's ``dueIn``."""
    period = (ctx.settings.get("TASK_DUE") or {}).get(info.element_id) or info.properties.get("dueIn")
    if not period:
        return None
    try:
        return start + isodate.parse_duration(period)  # type: ignore[no-any-return]  # isodate is untyped
    except (isodate.ISO8601Error, ValueError, TypeError):
        return None


def waits_of(run: CaseRun) -> tuple[list[tuple[str, datetime | None]], list[str]]:
    """The run's timers (soonest first, undated last) and the names of the messages it accepts."""
    waiting = run.waiting()
    timers = sorted({(w.name, w.due_at) for w in waiting if w.kind == "timer"},
                    key=lambda t: (t[1] is None, t[1] or datetime.max, t[0]))
    return timers, sorted({w.name for w in waiting if w.kind == "message"})


def sync_waits(session: Session, case: Case, run: CaseRun, before: RowPicture | None) -> tuple[list[dict[str, Any]], datetime | None]:
    """Rewrite the timer and message rows when they changed (read them first only without ``before``).

    Returns what the case waits for (timers, then messages) and its next timer's due time.
    """
    timers, messages = waits_of(run)
    if before is None:
        current_timers = [(r.name, r.due_at) for r in session.scalars(
            select(TimerRecord).where(TimerRecord.case_id == case.id).order_by(TimerRecord.id))]
        current_messages = sorted(session.scalars(select(MessageWait.name).where(MessageWait.case_id == case.id)))
    else:
        current_timers, current_messages = list(before.timers), list(before.messages)
    if current_timers != timers:
        session.execute(delete(TimerRecord).where(TimerRecord.case_id == case.id))
        if timers:
            session.execute(_INSERT_TIMERS, [{"case_id": case.id, "name": n, "due_at": d} for n, d in timers])
    if current_messages != messages:
        session.execute(delete(MessageWait).where(MessageWait.case_id == case.id))
        if messages:
            session.execute(_INSERT_MESSAGES, [{"case_id": case.id, "name": n} for n in messages])
    dues = [d for _, d in timers if d is not None]
    waiting = ([{"kind": "timer", "name": n, "due_at": d} for n, d in timers]
               + [{"kind": "message", "name": n, "due_at": None} for n in messages])
    return waiting, min(dues) if dues else None
