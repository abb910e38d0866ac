"""Firing due timers: the worker's unit of work, one case per transaction.

Due cases are found from the indexed ``Case.next_timer_at`` column alone, so
a sweep with nothing due is one indexed query. Each case is fired in its own
transaction; a lost race (another worker saved it first) is a Conflict the
sweep skips, so a timer never fires twice. A case that fails is rolled back,
its failure recorded and retried with back-off (1, 2, 4, ... minutes); after
``MAX_ATTEMPTS`` it becomes an incident a supervisor sees and retries by hand.
Diagram code that ran over its budget (``ScriptFailed.over_budget``) becomes an
incident at once: it would only spend the worker's budget again each retry.
It never stops the sweep, and the sweep stops between cases when the worker is told to stop. The sweep also records, once, each task that has
become overdue, so its role holders see it flagged and the record shows when.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import exists, select, update

from ...engine import CaseRun, ScriptFailed, clock
from ...errors import BoundaryError, NotFound
from ...models import Case, CaseStatus, TaskRecord, TaskStatus, TimerFailure
from ..core import audit
from ..core.audit import AuditAction
from ..core.transaction import rowcount, transaction
from ..correspondence import notifications
from .case_rows import RowPicture
from .persistence import save_run

if TYPE_CHECKING:
    from ..core.context import Context, Session

MAX_ATTEMPTS = 5


def due_case_ids(session: Session, limit: int = 100) -> list[int]:
    now = clock.now()
    held_back = exists(select(TimerFailure.case_id).where(
        TimerFailure.case_id == Case.id, (TimerFailure.is_incident) | (TimerFailure.next_attempt_at > now)))
    query = (select(Case.id).where(Case.status == CaseStatus.ACTIVE, Case.next_timer_at <= now, ~held_back)
             .order_by(Case.next_timer_at).limit(limit))
    return list(session.scalars(query))


def fire_case(ctx: Context, case_id: int) -> list[str]:
    """Fire what is due on one case (in the caller's transaction); returns the timers fired."""
    query = select(Case).where(Case.id == case_id, Case.status == CaseStatus.ACTIVE, Case.next_timer_at <= clock.now())
    case = ctx.session.scalar(query.with_for_update(of=Case, skip_locked=True))
    if case is None:
        return []
    run = CaseRun.load(ctx.bundles.get(case.process_version), case.state)
    rows = RowPicture.of(run)
    before = {name for name, due in rows.timers if due and due <= clock.now()}  # what is due now
    run.fire_due_timers()
    save_run(ctx, case, run, before=rows)
    audit.record(ctx.session, "worker", AuditAction.TIMER_FIRED, case.id, data={"timers": sorted(before)})
    failure = ctx.session.get(TimerFailure, case.id)
    if failure is not None:
        ctx.session.delete(failure)
    return sorted(before)


def _record_failure(ctx: Context, case_id: int, error: str, incident_now: bool = False) -> None:
    with transaction(ctx.session):
        failure = ctx.session.get(TimerFailure, case_id) or TimerFailure(case_id=case_id, attempts=0)
        failure.attempts += 1
        failure.last_error = error[:2000]
        failure.next_attempt_at = clock.now() + timedelta(minutes=2 ** (failure.attempts - 1))
        failure.is_incident = incident_now or failure.attempts >= MAX_ATTEMPTS
        ctx.session.add(failure)
        audit.record(ctx.session, "worker", AuditAction.TIMER_FAILED, case_id,
                     data={"attempt": failure.attempts, "error": failure.last_error, "incident": failure.is_incident})


def sweep(ctx: Context, limit: int = 100, stop: Callable[[], bool] = lambda: False) -> dict[int, list[str] | str]:
    """Fire every due case, each in its own transaction; failures are recorded, not raised.

    ``stop`` is asked before each case: a worker told to stop finishes the case in hand only.
    """
    results: dict[int, list[str] | str] = {}
    for case_id in due_case_ids(ctx.session, limit):
        if stop():
            return results
        try:
            with transaction(ctx.session):
                results[case_id] = fire_case(ctx, case_id)
        except BoundaryError as error:  # a lost race: the other worker fired it
            results[case_id] = error.message
        except Exception as error:  # one broken case must not stop the sweep
            results[case_id] = failure = f"{type(error).__name__}: {error}"
            _record_failure(ctx, case_id, failure, isinstance(error, ScriptFailed) and error.over_budget)
    record_overdue(ctx)
    return results


def record_overdue(ctx: Context) -> int:
    """One audit event per task the first time a sweep finds it overdue."""
    with transaction(ctx.session):
        candidates = list(ctx.session.scalars(select(TaskRecord).where(
            TaskRecord.status == TaskStatus.READY, TaskRecord.due_at < clock.now(), TaskRecord.overdue_recorded_at.is_(None))
            .limit(500).with_for_update(skip_locked=True)))
        overdue = [task for task in candidates if _claim_overdue(ctx.session, task.id)]
        for task in overdue:
            audit.record(ctx.session, "worker", AuditAction.TASK_OVERDUE, task.case_id, task_id=task.id,
                         element_id=task.element_id, data={"role": task.role, "due_at": task.due_at.isoformat() if task.due_at else None})
        notifications.announce_overdue(ctx, overdue)  # emailed exactly once, with the record
    return len(overdue)


def _claim_overdue(session: Session, task_id: str) -> bool:
    """Mark one task overdue unless another worker just did: only one of them records and emails it."""
    claimed = session.execute(update(TaskRecord).where(TaskRecord.id == task_id,
                                                       TaskRecord.overdue_recorded_at.is_(None))
                              .values(overdue_recorded_at=clock.now()).execution_options(synchronize_session="fetch"))
    return rowcount(claimed) == 1


def list_incidents(session: Session) -> list[TimerFailure]:
    return list(session.scalars(select(TimerFailure).where(TimerFailure.is_incident).order_by(TimerFailure.case_id)))


def retry_incident(ctx: Context, actor: str, case_id: int, reason: str) -> None:
    """A supervisor sends an incident back to the worker (in the caller's transaction)."""
    reason = audit.required_reason(reason, "retrying")
    failure = ctx.session.get(TimerFailure, case_id)
    if failure is None or not failure.is_incident:
        raise NotFound(f"Case {case_id} has no timer incident.")
    failure.is_incident, failure.attempts, failure.next_attempt_at = False, 0, clock.now()
    audit.record(ctx.session, actor, AuditAction.INCIDENT_RETRIED, case_id, data={"reason": reason})
