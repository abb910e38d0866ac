"""Development only: move one case's time forward so its next timer fires now, so a newcomer
can watch a contact strategy review arrive without waiting a month.

The service's clock (``engine.clock``) is moved forward for this one unit of work only:
the case's due timers fire as the worker would fire them, and what follows (the review
task, its due date) is dated in that future. Production refuses it: there, only real time
moves a case.
"""
from __future__ import annotations

from datetime import timedelta

from ...engine import clock
from ...errors import Conflict, Forbidden, NotFound
from ...models import Case
from ..core import audit
from ..core.context import Context
from ..core.transaction import transaction
from ..core.vocabulary import case_reference
from . import timers

ACTOR = "system"


def fast_forward(ctx: Context, case_id: int, days: int | None = None) -> tuple[timedelta, list[str]]:
    """Move the case ``days`` ahead (default: just past its next timer) and fire what is then due.
    Returns how far it moved and the timers that fired."""
    if ctx.settings.get("ENV") == "production":
        raise Forbidden("Moving a case's clock is for development and demonstrations only; "
                        "production cases move with real time.")
    case = ctx.session.get(Case, case_id)
    if case is None:
        raise NotFound(f"There is no case {case_id}.")
    if case.status != "active" or case.next_timer_at is None:
        raise Conflict(f"Case {case_reference(case_id)} is not waiting for any time to pass.")
    if days is not None and days < 1:
        raise Conflict("Move the clock forward by at least one day.")
    by = timedelta(days=days) if days is not None else \
        max(case.next_timer_at - clock.now(), timedelta(0)) + timedelta(seconds=1)
    clock.advance(by)
    try:
        with transaction(ctx.session):
            audit.record(ctx.session, ACTOR, "clock_moved_forward", case_id,
                         data={"reason": f"Development only: the case's time moved forward {by.days} days "
                                         "so its waiting period could end"})
            fired = timers.fire_case(ctx, case_id)
    finally:
        clock.advance(-by)
    return by, fired
