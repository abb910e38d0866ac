"""Supervisor actions on a case, each with a required reason in the audit record.

Suspending pauses the staff's tasks only: contacts and disputes sent meanwhile are
recorded and held, and delivered on resume (``cases.deliver_held``). Terminating a
case whose strategy is in force issues the letter telling the person the
restrictions have ended (WAR 7.1, CLE 9.14: the person is told of any change),
the way they agreed (``letter_delivery.send_without_task``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from ...engine import clock
from ...errors import Conflict, Forbidden, InvalidInput
from ...models import Case, CaseStatus, MessageWait, TaskRecord, TaskStatus, TimerRecord, User
from ..casework.cases import deliver_held
from ..casework.persistence import forget_saved
from ..core import audit
from ..core.vocabulary import case_reference
from ..correspondence import letter_delivery
from ..people.access import load_visible_case
from ..people.permissions import Ability, can

if TYPE_CHECKING:
    from ..core.context import Context

ALLOWED = {"suspend": {"active"}, "resume": {"suspended"}, "terminate": {"active", "suspended"}}
# What each action makes of the case, and its audit action (the case record and reports read these names).
DONE = {"suspend": "suspended", "resume": "resumed", "terminate": "terminated"}
RECORDED_AS = {action: f"case_{done}" for action, done in DONE.items()}


def act(ctx: Context, user: User, case_id: int, action: str, reason: str) -> Case:
    if not can(user, Ability.SUPERVISE):
        raise Forbidden("Only a supervisor can suspend, resume or terminate a case.")
    if action not in ALLOWED:
        raise InvalidInput(f"Unknown action {action}.", {"action": ["Choose suspend, resume or terminate"]})
    if not (reason or "").strip():
        raise InvalidInput("Give a reason: it goes on the case's record.", {"reason": ["Enter the reason"]})
    case = load_visible_case(ctx.session, user, case_id, for_update=True)
    if case.status not in ALLOWED[action]:
        raise Conflict(f"Case {case_reference(case.id)} is {case.status}; it cannot be {DONE[action]} now.")
    case.updated_at = clock.now()  # with the other changes: the statements below flush them, one write of the row
    if action == "suspend":
        case.status = CaseStatus.SUSPENDED
    elif action == "resume":
        case.status = CaseStatus.ACTIVE
    else:
        if case.stage == "strategy_active":
            letter_delivery.send_without_task(ctx, user, case, "strategy_end_letter")
        case.status, case.closed_at, case.next_timer_at = CaseStatus.TERMINATED, clock.now(), None
        for task in ctx.session.scalars(select(TaskRecord).where(TaskRecord.case_id == case.id,
                                                                 TaskRecord.status == TaskStatus.READY)):
            task.status, task.completed_at = TaskStatus.CANCELLED, clock.now()
        ctx.session.execute(delete(TimerRecord).where(TimerRecord.case_id == case.id))
        ctx.session.execute(delete(MessageWait).where(MessageWait.case_id == case.id))
        forget_saved(ctx.session, case.id)
    audit.record(ctx.session, user.username, RECORDED_AS[action], case.id, data={"reason": reason.strip()})
    if action == "resume":
        deliver_held(ctx, case, user.username)
    return case
