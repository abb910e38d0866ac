"""Save a case's engine state and keep its indexed rows in step with it.

Called inside the caller's transaction after every change to a case: the
state, ready task rows, timer rows, message rows (``case_rows``), stage (and
its history in ``StageVisit``), outcome and status are written together or not
at all. The case row is one version-guarded ``UPDATE``: a save that finds the
version moved on lost a race, and the caller answers 409.

What it wrote is also kept for the rest of the transaction (``saved_rows``):
the answer to a completion lists the case's ready tasks and waits, and reading
them back would cost three more queries on every completion. The note is
dropped when the transaction ends; code that changes a case's task, timer or
message rows any other way calls ``forget_saved`` for it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session as OrmSession, SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value

from ...engine import CaseRun, clock
from ...engine.serializer import STATE_FORMAT
from ...errors import Conflict
from ...models import Case, CaseStatus, StageVisit, TaskRecord
from ..core import audit
from ..core.audit import AuditAction
from ..core.transaction import CONFLICT_MESSAGE, rowcount
from ..core.vocabulary import STAGES
from .case_rows import NOTHING_SAVED, RowPicture, sync_tasks, sync_waits, write_task_changes

if TYPE_CHECKING:
    from ..core.context import Context, Session

_SAVED = "boundary.saved_rows"
_CASES = Case.__table__
_UPDATE_CASE = update(_CASES).where(_CASES.c.id == bindparam("b_id"), _CASES.c.version == bindparam("b_version"))


@dataclass(frozen=True)
class SavedRows:
    """A case's ready task rows (oldest first) and waits, as ``save_run`` left them."""
    ready: list[TaskRecord]
    waiting: list[dict[str, Any]]


def save_run(ctx: Context, case: Case, run: CaseRun, completed_task_id: str | None = None,
             completed_by: str | None = None, before: RowPicture | None = None) -> None:
    """Save ``run`` into ``case``; ``before`` is ``RowPicture.of(run)`` taken when it was loaded."""
    session, now = ctx.session, clock.now()
    first_save, previous_stage = not case.state, case.stage
    loaded_ready = before.ready if before is not None and not first_save else frozenset()
    if first_save:
        before = NOTHING_SAVED
    ready_now = {task.id: task for task in run.ready_tasks()}
    ready = None
    if before is not None:
        ready = write_task_changes(ctx, case, ready_now, now, before, completed_task_id, completed_by)
    if ready is None:  # no picture, or the rows are not as it says: read and reconcile them all
        before = None
        ready = sync_tasks(ctx, case, ready_now, now, completed_task_id, completed_by)
    waiting, next_timer_at = sync_waits(session, case, run, before)
    _record_cancelled(session, case.id, loaded_ready - ready_now.keys() - {completed_task_id}, completed_by)
    session.info.setdefault(_SAVED, {})[case.id] = SavedRows(ready, waiting)
    stage, outcome = stage_and_outcome(run, previous_stage)
    values = {"state": run.dump(), "state_format": STATE_FORMAT, "updated_at": now, "stage": stage,
              "outcome": outcome, "next_timer_at": next_timer_at, "status": case.status, "closed_at": case.closed_at}
    if run.finished and case.status == CaseStatus.ACTIVE:
        values.update(status=CaseStatus.CLOSED, closed_at=now)
    _write_case(session, case, values)
    if first_save or stage != previous_stage:
        _moved(session, case.id, stage, now, first_save)


def _record_cancelled(session: Session, case_id: int, task_ids: Iterable[str], actor: str | None) -> None:
    """An audit event for each ready task the process cancelled (an interrupting event, or the
    case ending: SCO 3.3, every action is recorded). Rare, so reading their rows costs nothing."""
    if not task_ids:
        return
    for row in session.scalars(select(TaskRecord).where(TaskRecord.id.in_(sorted(task_ids)))):
        audit.record(session, actor or "process", AuditAction.TASK_CANCELLED, case_id, task_id=row.id,
                     element_id=row.element_id, data={"title": row.title, "reason": "no longer needed"})


def _write_case(session: Session, case: Case, values: dict[str, Any]) -> None:
    """One ``UPDATE`` of the case row, guarded by its ``version``; the loaded object is kept in step.

    The ORM would do the same with more work on every completion (a unit of
    work flush). A row whose version moved on since it was read means another
    transaction saved the case first: that is the lost race answered with 409.
    """
    session.flush()  # changes made to the case through the ORM first, so its version is current
    version = case.version
    changed = rowcount(session.execute(_UPDATE_CASE, {**values, "version": version + 1, "b_id": case.id,
                                                      "b_version": version}))
    if changed != 1:
        raise Conflict(CONFLICT_MESSAGE)
    for key, value in {**values, "version": version + 1}.items():
        set_committed_value(case, key, value)


def saved_rows(session: Session, case_id: int) -> SavedRows | None:
    """What ``save_run`` wrote for this case in the current transaction, if it ran."""
    saved: SavedRows | None = session.info.get(_SAVED, {}).get(case_id)
    return saved


def forget_saved(session: Session, case_id: int) -> None:
    session.info.get(_SAVED, {}).pop(case_id, None)


@event.listens_for(OrmSession, "after_transaction_end")
def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    # Committed or rolled back (a savepoint too), the rows may change from elsewhere
    # from now on. Each flush runs in an inner transaction of its own; those don't count.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_SAVED, None)


def _moved(session: Session, case_id: int, stage: str, now: datetime, first: bool) -> None:
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
