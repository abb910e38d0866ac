"""A change to the contact strategy, authorised before the person is told."""
from __future__ import annotations

from ..elements import AO, CO, EA, event, gateway, lanes, user_task
from ..model import Proc
from .shared import NEEDS_RECORDED, SHOWN_TO_AUTHORISER


def build() -> Proc:
    """A change to the strategy in force, from a review, a breach or a dispute: the new terms are written
    down (the current ones pre-filled), advised on when needs are recorded, authorised, and sent to the
    person (CLE 9.11, 9.14, SCO 6, WAR 7.1)."""
    p = Proc("strategy_amendment", "Amending the contact strategy",
             lanes("strategy_amendment", (CO, 1), (EA, 1), (AO, 1)))
    event(p, "startEvent", "amendment_start", "Amendment proposed", CO, 0)
    user_task(p, "set_new_terms", "Set out the new terms of the strategy", CO, 1, due="P5D", docs=(
        "The strategy is to change. The current restrictions are filled in: edit them into the new terms, "
        "and say in plain words, for the person, what changes and why. Internal reasons stay on the case: "
        "the letter states the new terms and your summary. (CLE 9.11, CLE 9.14, SCO 6.2, WAR 7.1, WM 4.5)"),
              notesNeeds="true")
    gateway(p, "exclusiveGateway", "amendment_equality_first", "Needs or adjustments recorded?", EA, 2)
    user_task(p, "equality_advice_amendment", "Advise on the change before it is authorised", EA, 3, due="P5D",
              docs=("Needs or reasonable adjustments are recorded for the person, so a change to the strategy "
                    "cannot be authorised until you have advised on it. Read the new terms and advise on the "
                    "adjustments they must respect. (CLE 9.14, CLE 8.5, WAR 5)"))
    user_task(p, "authorise_amendment", "Authorise the change to the strategy", AO, 4, due="P5D", docs=(
        "A change to the contact strategy is proposed. Only an authorising officer can change a restriction: "
        "read the new terms, the person's recorded needs and any equality advice shown with this task, then "
        "approve it or return it to the case officer with comments. (WAR 7, WAR 7.1, SCO 5.3, CLE 9.14)"),
              shows="changes restrictions change_summary " + SHOWN_TO_AUTHORISER)
    gateway(p, "exclusiveGateway", "amendment_decision", "Approved?", AO, 5)
    user_task(p, "revise_amendment", "Revise the proposed change", CO, 5, due="P5D", docs=(
        "The authorising officer returned the change. Revise the new terms in the light of their comments. "
        "(WAR 7)"), notesNeeds="true", shows="comments changes", prefill="previous")
    user_task(p, "notify_strategy_change", "Tell the person about the change", CO, 6,
              letter="strategy_change_letter", due="P2D", termsInForce="true", docs=(
                  "Write to the person, by post and email, with the new terms of the strategy and what changed. "
                  "The terms are in force from today, and later reminders restate them. "
                  "(CLE 9.6, CLE 9.14, SCO 5.3, WAR 7, WM 4.5)"))
    event(p, "endEvent", "amendment_done", "Change notified", CO, 7)
    f = p.flow
    f("amendment_start", "set_new_terms")
    f("set_new_terms", "amendment_equality_first")
    f("amendment_equality_first", "equality_advice_amendment", NEEDS_RECORDED, "Yes")
    f("amendment_equality_first", "authorise_amendment", f"not ({NEEDS_RECORDED})", "No")
    f("equality_advice_amendment", "authorise_amendment")
    f("authorise_amendment", "amendment_decision")
    f("amendment_decision", "notify_strategy_change", 'decision == "approve"', "Approve")
    f("amendment_decision", "revise_amendment", 'decision == "return"', "Return")
    f("revise_amendment", "amendment_equality_first")
    f("notify_strategy_change", "amendment_done")
    return p
