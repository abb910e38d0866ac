"""Save a case's engine state and keep its indexed rows in step with it.

Called inside the caller's transaction after every change to a case: the
state, ready task rows, timer rows, message rows, stage (and its history in
``StageVisit``), outcome and status are written together or not at all.

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
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from ..engine import CaseRun, clock
from ..engine.serializer import STATE_FORMAT
from ..models import Case, MessageWait, StageVisit, TaskRecord, TimerRecord
from .roles import role_for_lane

# The spec's stages in the order a case moves through them; when parallel
# branches sit in different stages, the furthest one is the case's stage.
STAGES = ("recorded", "manager_review", "causes_check", "warning", "monitoring", "strategy_proposal",
          "authorisation", "notification", "strategy_active", "closed")
_SAVED = "boundary.saved_rows"


@dataclass(frozen=True)
class SavedRows:
    """A case's ready task rows (oldest first) and waits, as ``save_run`` left them."""
    ready: list[TaskRecord]
    waiting: list[dict]


def save_run(ctx, case: Case, run: CaseRun, completed_task_id: str | None = None,
             completed_by: str | None = None) -> None:
    session, now = ctx.session, clock.now()
    first_save, previous_stage = not case.state, case.stage
    case.state = run.dump()
    case.state_format = STATE_FORMAT
    case.updated_at = now
    ready = _sync_tasks(ctx, case, run, now, completed_task_id, completed_by)
    waiting = _sync_waits(session, case, run)
    session.info.setdefault(_SAVED, {})[case.id] = SavedRows(ready, waiting)
    case.stage, case.outcome = stage_and_outcome(run, case.stage)
    if first_save or case.stage != previous_stage:
        _moved(session, case.id, case.stage, now, first_save)
    if run.finished and case.status == "active":
        case.status, case.closed_at = "closed", now


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


def _sync_waits(session, case, run) -> list[dict]:
    waiting = run.waiting()
    timers = sorted({(w.name, w.due_at) for w in waiting if w.kind == "timer"},
                    key=lambda t: (t[1] is None, t[1] or datetime.max, t[0]))
    messages = sorted({w.name for w in waiting if w.kind == "message"})
    current_timers = [(r.name, r.due_at) for r in session.scalars(
        select(TimerRecord).where(TimerRecord.case_id == case.id).order_by(TimerRecord.id))]
    if current_timers != timers:
        session.execute(delete(TimerRecord).where(TimerRecord.case_id == case.id))
        session.add_all(TimerRecord(case_id=case.id, name=n, due_at=d) for n, d in timers)
    current_messages = sorted(session.scalars(select(MessageWait.name).where(MessageWait.case_id == case.id)))
    if current_messages != messages:
        session.execute(delete(MessageWait).where(MessageWait.case_id == case.id))
        session.add_all(MessageWait(case_id=case.id, name=n) for n in messages)
    dues = [d for _, d in timers if d is not None]
    case.next_timer_at = min(dues) if dues else None
    return ([{"kind": "timer", "name": n, "due_at": d} for n, d in timers]
            + [{"kind": "message", "name": n, "due_at": None} for n in messages])
