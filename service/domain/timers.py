"""Firing due timers: the worker's unit of work, one case per transaction.

Due cases are found from the indexed ``Case.next_timer_at`` column alone, so
a sweep with nothing due is one indexed query. Each case is fired in its own
transaction; a lost race (another worker saved it first) is a Conflict the
sweep skips, so a timer never fires twice. A case that fails is rolled back
and left for the next sweep; the others go on.
"""
from __future__ import annotations

from sqlalchemy import select

from ..engine import CaseRun, clock
from ..errors import BoundaryError
from ..models import Case
from . import audit
from .persistence import save_run
from .transaction import transaction


def due_case_ids(session, limit: int = 100) -> list[int]:
    query = (select(Case.id).where(Case.status == "active", Case.next_timer_at <= clock.now())
             .order_by(Case.next_timer_at).limit(limit))
    return list(session.scalars(query))


def fire_case(ctx, case_id: int) -> list[str]:
    """Fire what is due on one case (in the caller's transaction); returns the timers fired."""
    query = select(Case).where(Case.id == case_id, Case.status == "active", Case.next_timer_at <= clock.now())
    case = ctx.session.scalar(query.with_for_update(of=Case, skip_locked=True))
    if case is None:
        return []
    run = CaseRun.load(ctx.bundles.get(case.process_version), case.state)
    before = {w.name for w in run.waiting() if w.kind == "timer" and w.due_at and w.due_at <= clock.now()}
    run.fire_due_timers()
    save_run(ctx, case, run)
    audit.record(ctx.session, "worker", "timer_fired", case.id, data={"timers": sorted(before)})
    return sorted(before)


def sweep(ctx, limit: int = 100) -> dict[int, list[str] | str]:
    """Fire every due case, each in its own transaction; failures are reported, not raised."""
    results: dict[int, list[str] | str] = {}
    for case_id in due_case_ids(ctx.session, limit):
        try:
            with transaction(ctx.session):
                results[case_id] = fire_case(ctx, case_id)
        except BoundaryError as error:
            results[case_id] = error.message
        except Exception as error:  # one broken case must not stop the sweep
            results[case_id] = f"{type(error).__name__}: {error}"
    return results
