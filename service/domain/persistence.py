"""Save a case's engine state and keep its indexed rows in step with it.

Called inside the caller's transaction after every change to a case: the
state, ready task rows, timer rows, message rows, stage (and its history in
``StageVisit``), outcome and status are written together or not at all.

Rows are written from what changed, not read first. The caller takes a
``RowPicture`` of the run as it loaded it (under the case's lock): the rows
``save_run`` last wrote match it, so the tasks that left the ready set are
marked with one conditional ``UPDATE``, new ones inserted, and timers and
messages rewritten only when they changed. If the rows turn out not to match
(the ``UPDATE`` finds fewer ready rows than the picture promised), the save
reads the rows and reconciles them as it did before the fast path existed;
without a picture (a migrated case) it always reads them.

What it wrote is also kept for the rest of the transaction (``saved_rows``):
the answer to a completion lists the case's ready tasks and waits, and reading
them back would cost three more queries on every completion. The note is
dropped when the transaction ends; code that changes a case's task, timer or
message rows any other way calls ``forget_saved`` for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import isodate
from sqlalchemy import case as sa_case, delete, event, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..engine import CaseRun, clock
from ..engine.serializer import STATE_FORMAT
from ..errors import Conflict
from ..models import Case, MessageWait, StageVisit, TaskRecord, TimerRecord
from .transaction import CONFLICT_MESSAGE
from .roles import role_for_lane

# The spec's stages in the order a case moves through them; when parallel
# branches sit in different stages, the furthest one is the case's stage.
STAGES = ("recorded", "manager_review", "causes_check", "warning", "monitoring", "strategy_proposal",
          "authorisation", "notification", "strategy_active", "closed")
_SAVED = "boundary.saved_rows"


@dataclass(frozen=True)
class RowPicture:
    """What a run's indexed rows hold: its ready task ids, timers (name, due) and message names."""
    ready: frozenset[str]
    timers: tuple[tuple[str, datetime | None], ...]
    messages: tuple[str, ...]

    @classmethod
    def of(cls, run: CaseRun) -> "RowPicture":
        timers, messages = _waits_of(run)
        return cls(frozenset(task.id for task in run.ready_tasks()), tuple(timers), tuple(messages))


NOTHING_SAVED = RowPicture(frozenset(), (), ())  # a case that has never been saved has no rows


@dataclass(frozen=True)
class SavedRows:
    """A case's ready task rows (oldest first) and waits, as ``save_run`` left them."""
    ready: list[TaskRecord]
    waiting: list[dict]


def save_run(ctx, case: Case, run: CaseRun, completed_task_id: str | None = None,
             completed_by: str | None = None, before: RowPicture | None = None) -> None:
    """Save ``run`` into ``case``; ``before`` is ``RowPicture.of(run)`` taken when it was loaded."""
    session, now = ctx.session, clock.now()
    first_save, previous_stage = not case.state, case.stage
    if first_save:
        before = NOTHING_SAVED
    ready = None
    if before is not None:
        ready = _write_task_changes(ctx, case, run, now, before, completed_task_id, completed_by)
    if ready is None:  # no picture, or the rows are not as it says: read and reconcile them all
        before = None
        ready = _sync_tasks(ctx, case, run, now, completed_task_id, completed_by)
    waiting, next_timer_at = _sync_waits(session, case, run, before)
    session.info.setdefault(_SAVED, {})[case.id] = SavedRows(ready, waiting)
    stage, outcome = stage_and_outcome(run, previous_stage)
    values = {"state": run.dump(), "state_format": STATE_FORMAT, "updated_at": now, "stage": stage,
              "outcome": outcome, "next_timer_at": next_timer_at}
    if run.finished and case.status == "active":
        values.update(status="closed", closed_at=now)
    _write_case(session, case, values)
    if first_save or stage != previous_stage:
        _moved(session, case.id, stage, now, first_save)


def _write_case(session, case: Case, values: dict) -> None:
    """One ``UPDATE`` of the case row, guarded by its ``version``; the loaded object is kept in step.

    The ORM would do the same with more work on every completion (a unit of
    work flush). A row whose version moved on since it was read means another
    transaction saved the case first: that is the lost race answered with 409.
    """
    table = Case.__table__
    session.flush()  # changes made to the case through the ORM first, so its version is current
    version = case.version
    changed = session.execute(update(table).where(table.c.id == case.id, table.c.version == version)
                              .values(**values, version=version + 1)).rowcount
    if changed != 1:
        raise Conflict(CONFLICT_MESSAGE)
    for key, value in {**values, "version": version + 1}.items():
        set_committed_value(case, key, value)


def saved_rows(session, case_id: int) -> SavedRows | None:
    """What ``save_run`` wrote for this case in the current transaction, if it ran."""
    return session.info.get(_SAVED, {}).get(case_id)


def forget_saved(session, case_id: int) -> None:
    session.info.get(_SAVED, {}).pop(case_id, None)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction) -> None:
    # Committed or rolled back (a savepoint too), the rows may change from elsewhere
    # from now on. Each flush runs in an inner transaction of its own; those don't count.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_SAVED, None)


def _moved(session, case_id: int, stage: str, now: datetime, first: bool) -> None:
    """Close the case's current stage visit and open the next (two statements, only on a change)."""
    if not first:
        session.execute(update(StageVisit).where(StageVisit.case_id == case_id, StageVisit.left_at.is_(None))
                        .values(left_at=now))
    session.add(StageVisit(case_id=case_id, stage=stage, entered_at=now))


def stage_and_outcome(run: CaseRun, previous: str) -> tuple[str, str | None]:
    """The stage from the ``stage`` property of what the case is doing now; the
    outcome from the main process end event marked ``stage: closed`` it reached."""
    closing = [e for e in run.reached_end_events() if e.properties.get("stage") == "closed"]
    if closing:
        return "closed", closing[0].element_id
    if run.finished:
        ends = run.reached_end_events()
        return "closed", ends[-1].element_id if ends else None
    stages = [e.properties["stage"] for e in run.active_elements() if e.properties.get("stage")]
    if not stages:
        return previous, None
    return max(stages, key=lambda s: STAGES.index(s) if s in STAGES else -1), None


def _write_task_changes(ctx, case, run, now, before: RowPicture, completed_task_id, completed_by):
    """Mark the tasks that left the ready set and insert the new ones, reading no rows first.

    One ``UPDATE ... RETURNING`` closes every ready row of the case that is not
    ready any more (a stray one too). Returns the ready rows (oldest first), or
    None when the stored rows do not match ``before``; then nothing has been
    inserted and the caller reconciles.
    """
    session, table = ctx.session, TaskRecord.__table__
    ready = {task.id: task for task in run.ready_tasks()}
    gone = before.ready - ready.keys()
    closed = {task_id for (task_id,) in session.execute(
        update(table).where(table.c.case_id == case.id, table.c.status == "ready", table.c.id.not_in(ready))
        .values(status=sa_case((table.c.id == completed_task_id, "completed"), else_="cancelled"),
                completed_at=now, completed_by=sa_case((table.c.id == completed_task_id, completed_by), else_=None))
        .returning(table.c.id))} if before is not NOTHING_SAVED else set()
    for task_id in closed:
        done = task_id == completed_task_id
        _mirror(session, task_id, status="completed" if done else "cancelled", completed_at=now,
                completed_by=completed_by if done else None)
    if not gone <= closed:
        return None
    kept_ids = [task_id for task_id in ready if task_id in before.ready]
    kept = list(session.scalars(select(TaskRecord).where(TaskRecord.id.in_(kept_ids),
                                                         TaskRecord.status == "ready"))) if kept_ids else []
    if len(kept) != len(kept_ids):
        return None
    new_rows = [_new_row(ctx, case, task, now) for task_id, task in ready.items() if task_id not in before.ready]
    if new_rows:
        session.execute(insert(table), new_rows)
    rows = kept + [TaskRecord(**row) for row in new_rows]  # the answer's copies; the rows are in the table
    return sorted(rows, key=lambda row: (row.created_at, row.id))


def _new_row(ctx, case, task, now) -> dict:
    return {"id": task.id, "case_id": case.id, "element_id": task.info.element_id, "title": task.info.title,
            "role": role_for_lane(task.info.lane), "status": "ready", "created_at": now,
            "due_at": due_at(ctx, task.info, now)}


def _mirror(session, task_id: str, **values) -> None:
    """Keep a task row already loaded in this session in step with an UPDATE that bypassed it."""
    row = session.identity_map.get(session.identity_key(TaskRecord, task_id))
    if row is not None:
        for key, value in values.items():
            set_committed_value(row, key, value)


def _sync_tasks(ctx, case, run, now, completed_task_id, completed_by) -> list[TaskRecord]:
    session = ctx.session
    ready = {task.id: task for task in run.ready_tasks()}
    known = {row.id: row for row in session.scalars(
        select(TaskRecord).where(TaskRecord.case_id == case.id, TaskRecord.status == "ready"))}
    for task_id, row in known.items():
        if task_id in ready:
            continue
        row.status = "completed" if task_id == completed_task_id else "cancelled"
        row.completed_at = now
        row.completed_by = completed_by if task_id == completed_task_id else None
    rows = []
    for task_id, task in ready.items():
        row = known.get(task_id)
        if row is None:
            row = TaskRecord(id=task_id, case_id=case.id, element_id=task.info.element_id,
                             title=task.info.title, role=role_for_lane(task.info.lane), status="ready",
                             created_at=now, due_at=due_at(ctx, task.info, now))
            session.add(row)
        rows.append(row)
    return sorted(rows, key=lambda row: (row.created_at, row.id))


def due_at(ctx, info, start: datetime) -> datetime | None:
    """When a task falls due: a setting per element id wins over the diagram's ``dueIn``."""
    period = (ctx.settings.get("TASK_DUE") or {}).get(info.element_id) or info.properties.get("dueIn")
    if not period:
        return None
    try:
        return start + isodate.parse_duration(period)
    except (isodate.ISO8601Error, ValueError, TypeError):
        return None


def _waits_of(run) -> tuple[list[tuple[str, datetime | None]], list[str]]:
    """The run's timers (soonest first, undated last) and the names of the messages it accepts."""
    waiting = run.waiting()
    timers = sorted({(w.name, w.due_at) for w in waiting if w.kind == "timer"},
                    key=lambda t: (t[1] is None, t[1] or datetime.max, t[0]))
    return timers, sorted({w.name for w in waiting if w.kind == "message"})


def _sync_waits(session, case, run, before: RowPicture | None) -> tuple[list[dict], datetime | None]:
    """Rewrite the timer and message rows when they changed (read them first only without ``before``)."""
    timers, messages = _waits_of(run)
    if before is None:
        current_timers = [(r.name, r.due_at) for r in session.scalars(
            select(TimerRecord).where(TimerRecord.case_id == case.id).order_by(TimerRecord.id))]
        current_messages = sorted(session.scalars(select(MessageWait.name).where(MessageWait.case_id == case.id)))
    else:
        current_timers, current_messages = list(before.timers), list(before.messages)
    if current_timers != timers:
        session.execute(delete(TimerRecord).where(TimerRecord.case_id == case.id))
        if timers:
            session.execute(insert(TimerRecord.__table__), [{"case_id": case.id, "name": n, "due_at": d}
                                                             for n, d in timers])
    if current_messages != messages:
        session.execute(delete(MessageWait).where(MessageWait.case_id == case.id))
        if messages:
            session.execute(insert(MessageWait.__table__), [{"case_id": case.id, "name": n} for n in messages])
    dues = [d for _, d in timers if d is not None]
    waiting = ([{"kind": "timer", "name": n, "due_at": d} for n, d in timers]
               + [{"kind": "message", "name": n, "due_at": None} for n in messages])
    return waiting, min(dues) if dues else None
