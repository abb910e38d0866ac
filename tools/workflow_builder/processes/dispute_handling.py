"""The Chief Executive decides a dispute of the restrictions (WAR 7.3)."""
from __future__ import annotations

from ..elements import CE, CO, call, event, gateway, lanes, user_task
from ..model import Proc


def build() -> Proc:
    p = Proc("dispute_handling", "Deciding a dispute", lanes("dispute_handling", (CE, 1), (CO, 1)))
    event(p, "startEvent", "dispute_start", "Dispute received", CE, 0)
    user_task(p, "consider_dispute", "Decide the dispute of the restriction", CE, 1, due="P20D", docs=(
        "The person disputes the contact strategy in writing. Decide whether to uphold it, vary it (authorisation "
        "needed) or end the restrictions, and give your reasons. (WAR 7.3)"), shows="dispute restrictions")
    gateway(p, "exclusiveGateway", "dispute_decision", "Decision?", CE, 2)
    call(p, "amend_after_dispute", "Vary the strategy", CO, 2.6, "strategy_amendment")
    gateway(p, "exclusiveGateway", "dispute_join", "Notify", CO, 3.6)
    user_task(p, "notify_dispute_outcome", "Tell the person the outcome of the dispute", CO, 4.6,
              letter="dispute_outcome_letter", due="P5D", docs=(
                  "Write to the person with the Chief Executive's decision on the dispute and the reasons. "
                  "(WAR 7.3)"))
    event(p, "endEvent", "dispute_decided", "Dispute decided", CO, 5.6)
    f = p.flow
    f("dispute_start", "consider_dispute")
    f("consider_dispute", "dispute_decision")
    f("dispute_decision", "amend_after_dispute", 'outcome == "vary"', "Vary")
    f("dispute_decision", "dispute_join", 'outcome != "vary"', "Uphold or end")
    f("amend_after_dispute", "dispute_join")
    f("dispute_join", "notify_dispute_outcome")
    f("notify_dispute_outcome", "dispute_decided")
    return p
