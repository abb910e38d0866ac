"""A change to the contact strategy, authorised before the person is told."""
from __future__ import annotations

from ..elements import AO, CO, event, gateway, lanes, user_task
from ..model import Proc


def build() -> Proc:
    p = Proc("strategy_amendment", "Amending the contact strategy", lanes("strategy_amendment", (AO, 1), (CO, 1)))
    event(p, "startEvent", "amendment_start", "Amendment proposed", AO, 0)
    user_task(p, "authorise_amendment", "Authorise the change to the strategy", AO, 1, due="P5D", docs=(
        "A change to the contact strategy is proposed. Only an authorising officer can change a restriction: "
        "approve it or return it to the case officer with comments. (WAR 7, WAR 7.1, SCO 5.3)"),
              shows="changes restrictions")
    gateway(p, "exclusiveGateway", "amendment_decision", "Approved?", AO, 2)
    user_task(p, "revise_amendment", "Revise the proposed change", CO, 2, due="P5D", docs=(
        "The authorising officer returned the change. Revise it in the light of their comments. (WAR 7)"),
              shows="comments changes", prefill="previous")
    user_task(p, "notify_strategy_change", "Tell the person about the change", CO, 3,
              letter="strategy_change_letter", due="P2D", docs=(
                  "Write to the person, by post and email, to explain the change to the strategy and why. "
                  "(CLE 9.6, SCO 5.3, WAR 7)"))
    event(p, "endEvent", "amendment_done", "Change notified", CO, 4)
    f = p.flow
    f("amendment_start", "authorise_amendment")
    f("authorise_amendment", "amendment_decision")
    f("amendment_decision", "notify_strategy_change", 'decision == "approve"', "Approve")
    f("amendment_decision", "revise_amendment", 'decision == "return"', "Return")
    f("revise_amendment", "authorise_amendment")
    f("notify_strategy_change", "amendment_done")
    return p
