"""The contact strategy process."""
from __future__ import annotations

from ..elements import CO, call, event, gateway, lanes, timer, user_task
from ..model import Proc


def build() -> Proc:
    """The review cycle; the Chief Executive's end of the restrictions interrupts it from outside
    (the boundary event on the main process's call activity)."""
    p = Proc("contact_strategy", "Contact strategy in force", lanes("contact_strategy", (CO, 2)))
    co = "lane_contact_strategy_case_officer"
    event(p, "startEvent", "strategy_start", "Strategy starts", CO, 0)
    loop = p.sub("review_cycle", "Review cycle (repeats until the strategy ends)", co, 1, 8, row=0,
                 inner='<bpmn:standardLoopCharacteristics><bpmn:loopCondition>outcome != "end"'
                       '</bpmn:loopCondition></bpmn:standardLoopCharacteristics>')
    event(p, "startEvent", "cycle_start", "Cycle starts", CO, 1.2, sub=loop)
    # next_review_at is set by the domain (domain/reviews.py) when the strategy starts and at each
    # review, counted from the previous due date so reviews never drift (CLE 9.12, WM 4.4).
    event(p, "intermediateCatchEvent", "review_due", "Review due", CO, 3, sub=loop,
          inner=timer("next_review_at", "timeDate"))
    user_task(p, "review_contact_strategy", "Review the contact strategy", CO, 4, sub=loop, due="P14D", docs=(
        "The strategy is due for review. Consider the person's contact since the last review and decide whether "
        "the strategy is still appropriate and fit for purpose: continue it, amend it (authorisation needed), or "
        "end it; a strategy that is no longer appropriate must be amended or ended. The next review falls the "
        "chosen interval after this one was due: at least every three months. Respect the reasonable "
        "adjustments in place. (CLE 9.12, CLE 9.13, WAR 7.1, WM 4.4)"), schedulesReview="from_due_date",
              shows="restrictions review_interval reasonable_adjustments")
    gateway(p, "exclusiveGateway", "review_decision", "Review outcome?", CO, 5, sub=loop)
    call(p, "amend_after_review", "Amend the strategy", CO, 6, "strategy_amendment", row=1, sub=loop)
    gateway(p, "exclusiveGateway", "cycle_join", "Cycle done", CO, 7, sub=loop)
    event(p, "endEvent", "cycle_end", "Cycle ends", CO, 8, sub=loop)
    for source, target, condition, name in [
        ("cycle_start", "review_due", None, ""), ("review_due", "review_contact_strategy", None, ""),
        ("review_contact_strategy", "review_decision", None, ""),
        ("review_decision", "cycle_join", 'outcome in ("continue", "end")', "Continue or end"),
        ("review_decision", "amend_after_review", 'outcome == "amend"', "Amend"),
        ("amend_after_review", "cycle_join", None, ""), ("cycle_join", "cycle_end", None, "")]:
        p.flow(source, target, condition, name, sub=loop)
    user_task(p, "notify_strategy_end", "Tell the person the strategy has ended", CO, 10, letter="strategy_end_letter",
              due="P5D", docs=("The review decided to end the strategy. Write to the person to say that the "
                               "restrictions no longer apply. (CLE 9.14, WAR 7.1)"))
    event(p, "endEvent", "strategy_ended", "Strategy ended", CO, 11)
    p.flow("strategy_start", "review_cycle")
    p.flow("review_cycle", "notify_strategy_end")
    p.flow("notify_strategy_end", "strategy_ended")
    return p
