"""A breach of the contact strategy: a reminder, escalation, tightening or legal advice."""
from __future__ import annotations

from ..elements import CO, IRM, call, event, gateway, lanes, user_task
from ..model import Proc


def build() -> Proc:
    p = Proc("breach_handling", "Handling a breach of the contact strategy",
             lanes("breach_handling", (CO, 1), (IRM, 2)))
    event(p, "startEvent", "breach_start", "Breach to handle", CO, 0)
    user_task(p, "handle_breach", "Handle the breach", CO, 1, letter="breach_reminder_letter",
              letterWhen="reminder_sent", due="P5D", docs=(
                  "The person has breached the contact strategy. Send a reminder of its terms if appropriate (the "
                  "reminder letter is issued when you complete this task saying one is sent), and decide whether to escalate to the "
                  "Independent Review Manager. (CLE 9.11)"),
              shows="breach contact classification action_taken restrictions")
    gateway(p, "exclusiveGateway", "escalate_gateway", "Escalate?", CO, 2)
    event(p, "endEvent", "breach_handled", "Breach handled", CO, 3)
    user_task(p, "escalate_breach", "Decide what to do about the breach", IRM, 3, due="P5D", docs=(
        "Decide the response to the breach: a reminder only, tightening the strategy (authorisation needed), "
        "seeking legal advice, or reporting to the police. You cannot decide a breach you raised. "
        "(SCO 6.2, CLE 10, SCO 5.3)"), separationOf="review_incoming_contact handle_breach",
              shows="breach contact classification reminder_sent restrictions")
    gateway(p, "exclusiveGateway", "escalation_outcome", "Outcome?", IRM, 4)
    event(p, "endEvent", "breach_reminder_only", "Reminder only", IRM, 5)
    event(p, "endEvent", "breach_reported_to_police", "Reported to the police", IRM, 5, row=1)
    call(p, "amend_after_breach", "Tighten the strategy", CO, 5, "strategy_amendment")
    event(p, "endEvent", "strategy_tightened", "Strategy tightened", CO, 6)
    user_task(p, "further_action", "Record legal advice and further action", IRM, 6, row=1, due="P20D", docs=(
        "Legal advice was sought about the person's conduct. Summarise it and record the further action taken. "
        "(CLE 10, WAR 7.2)"))
    event(p, "endEvent", "further_action_recorded", "Further action recorded", IRM, 7, row=1)
    f = p.flow
    f("breach_start", "handle_breach")
    f("handle_breach", "escalate_gateway")
    f("escalate_gateway", "breach_handled", "not escalate", "No")
    f("escalate_gateway", "escalate_breach", "escalate", "Escalate")
    f("escalate_breach", "escalation_outcome")
    f("escalation_outcome", "breach_reminder_only", 'outcome == "reminder_only"', "Reminder only")
    f("escalation_outcome", "amend_after_breach", 'outcome == "tighten_strategy"', "Tighten")
    f("escalation_outcome", "further_action", 'outcome == "seek_legal_advice"', "Legal advice")
    f("escalation_outcome", "breach_reported_to_police", 'outcome == "report_to_police"', "Police")
    f("amend_after_breach", "strategy_tightened")
    f("further_action", "further_action_recorded")
    return p
