"""The main process: from a recorded incident to a contact strategy in force and its end."""
from __future__ import annotations

from collections.abc import Callable

from ..elements import (
    AO,
    BSL,
    CLOSED,
    CO,
    EA,
    IRM,
    LM,
    call,
    event,
    gateway,
    lanes,
    message_def,
    script,
    signal_def,
    timer,
    user_task,
)
from ..model import Proc, Sub
from .shared import NEEDS_RECORDED, SHOWN_TO_AUTHORISER


# Behaviour the police are asked to consider (SCO 3.2, WAR 6, WM 6): the serious kinds plus verbal
# abuse and discriminatory remarks; reporting stays mandatory only for violence and threats (form_rules).
def police_condition(variable: str) -> str:
    return (f'is_serious({variable}) or "verbal_abuse" in {variable} '
            f'or "discriminatory_remarks" in {variable}')


POLICE_CLASSIFICATIONS = '"criminal_matter" in classification or "safeguarding_concern" in classification'

# What a reviewer reads before deciding on a proposed strategy (the "shows" property, docs/architecture.md).
PROPOSAL = "objective restrictions reason proportionality fresh_matters_route review_interval adjustments_considered"


def build() -> Proc:
    p = Proc("contact_management", "Managing unreasonable and unacceptable contact",
             lanes("contact_management", (CO, 12), (LM, 1), (IRM, 2), (EA, 2), (BSL, 1), (AO, 1)))
    event(p, "startEvent", "record_incident", "Incident recorded", CO, 0,
          props={"formJsonSchemaFilename": "record_incident.schema.json", "stage": "recorded"})
    gateway(p, "parallelGateway", "fork_serious", "Also consider the police?", CO, 1)
    gateway(p, "exclusiveGateway", "is_serious_case", "Serious behaviour?", IRM, 1, row=1)
    script(p, "note_incident_for_police", "Note the behaviour", IRM, 2, "police_concern = behaviour_types", row=1)
    call(p, "police_for_incident", "Consider the police", IRM, 3, "police_consideration", row=1)
    event(p, "endEvent", "police_report_considered", "Police report considered", IRM, 4, row=1)
    event(p, "endEvent", "not_serious", "Not serious", IRM, 2)
    user_task(p, "manager_review", "Discuss the incident and decide what happens next", LM, 2, stage="manager_review",
              due="P5D", docs=(
                  "Discuss the incident with the case officer. Decide whether the behaviour was unacceptable, "
                  "whether welfare support was offered, and what happens next: no further action (the incident "
                  "stays on record), address the behaviour, or go straight to a contact strategy for threatening "
                  "or abusive contact. (WM 4.1, CLE 4.5, CLE 6.5, WAR 6, CLE 4.6, SCO 3.5.1)"))
    gateway(p, "exclusiveGateway", "manager_decision", "Decision?", LM, 3)
    # Whether a warning was ever issued decides where a declined strategy goes (CLE 9.1).
    script(p, "note_no_warning", "No warning yet", LM, 4, "warning_issued = False", row=0)
    event(p, "endEvent", "closed_no_action", "Closed: no further action", LM, 5, props=CLOSED)
    # "We cannot deal with this": the person is told where to go instead, and the case closes (WAR 1, CLE 9.2).
    user_task(p, "signpost_person", "Tell the person where to take the matter", CO, 4, row=1,
              letter="signposting_letter", due="P5D", docs=(
                  "The matter is not one we can deal with. Write to the person to say so, why, and where they "
                  "can take it instead. The signposting letter is produced when you complete this task and the "
                  "case then closes. (WAR 1, CLE 9.2, SCO 4.1)"))
    event(p, "endEvent", "closed_signposted", "Closed: signposted elsewhere", CO, 5, row=1, props=CLOSED)
    user_task(p, "check_underlying_causes", "Check whether our own handling caused the behaviour", CO, 4,
              stage="causes_check", due="P10D", docs=(
                  "Before any restriction, check whether the behaviour is a response to how we handled the matter: "
                  "was the process explained, was it handled proportionately, did we communicate regularly, was "
                  "support offered, were reasons given? Record any additional needs and the adjustments they "
                  "require. (CLE 7.2, CLE 7.3, WAR 4, SCO 4.1)"))
    gateway(p, "parallelGateway", "after_causes", "Split", CO, 5)
    gateway(p, "exclusiveGateway", "needs_identified", "Additional needs?", EA, 5)
    user_task(p, "equality_advice", "Advise on reasonable adjustments", EA, 6, due="P10D", docs=(
        "The person has additional needs. Advise the case officer on the reasonable adjustments to make and "
        "record what was agreed. (CLE 8.5)"))
    event(p, "endEvent", "equality_advice_given", "Advice given", EA, 7)
    event(p, "endEvent", "no_equality_advice", "No advice needed", EA, 6, row=1)
    gateway(p, "exclusiveGateway", "shortcomings_found", "Any shortcomings?", CO, 6)
    user_task(p, "address_shortcomings", "Put our shortcomings right", CO, 7, row=1, due="P10D", docs=(
        "Our handling fell short. Record what was done to put it right, then whether the behaviour has stopped. "
        "(CLE 7.3, WAR 4)"))
    gateway(p, "exclusiveGateway", "behaviour_stopped_gateway", "Behaviour stopped?", CO, 8, row=1)
    event(p, "endEvent", "closed_resolved", "Closed: resolved", CO, 9, row=1, props=CLOSED)
    user_task(p, "issue_warning", "Issue a warning letter", CO, 9, stage="warning", letter="warning_letter",
              due="P5D", docs=(
                  "Write to the person: say why the behaviour is unacceptable, what must change, and what will "
                  "happen if it continues. Completing this task issues the warning letter, as previewed. "
                  "(WM 4.2, CLE 9.1, CLE 9.2, CLE 9.3, WAR 6)"))
    script(p, "note_warning_issued", "Warning issued", CO, 9.5, "warning_issued = True", row=1)
    gateway(p, "eventBasedGateway", "monitoring", "Monitor contact", CO, 10, props={"stage": "monitoring"})
    event(p, "intermediateCatchEvent", "further_incident_received", "Further incident", CO, 11,
          inner=message_def(p, "further_incident", "further_incident"))
    event(p, "intermediateCatchEvent", "monitoring_period", "Monitoring period over", BSL, 11,
          inner=timer("monitoring_period"))
    gateway(p, "parallelGateway", "fork_further_incident", "Also consider the police?", CO, 12)
    gateway(p, "exclusiveGateway", "further_incident_serious", "Serious behaviour?", IRM, 12, row=1)
    script(p, "note_further_incident_for_police", "Note the behaviour", IRM, 13,
           'police_concern = further_incident["behaviour_types"]', row=1)
    call(p, "police_for_further_incident", "Consider the police", IRM, 14, "police_consideration", row=1)
    event(p, "endEvent", "further_incident_police_considered", "Police report considered", IRM, 15, row=1)
    event(p, "endEvent", "further_incident_not_serious", "Not serious", IRM, 13)
    user_task(p, "review_monitoring", "Review contact since the warning", BSL, 12, due="P10D", docs=(
        "The monitoring period after the warning is over. Review the person's contact since the warning and "
        "decide: close the case, extend monitoring, or escalate to a contact strategy. (WM 4.2)"))
    gateway(p, "exclusiveGateway", "monitoring_outcome", "Outcome?", BSL, 13)
    event(p, "endEvent", "closed_after_warning", "Closed after warning", BSL, 14, props=CLOSED)
    gateway(p, "exclusiveGateway", "to_strategy", "Propose strategy", CO, 13)
    user_task(p, "propose_contact_strategy", "Propose a contact strategy", CO, 14, stage="strategy_proposal",
              due="P10D", docs=(
                  "Set out the objective, each restriction, the reason, why it is fair, reasonable and "
                  "proportionate, how the person can raise fresh matters, and when it will be reviewed (at least "
                  "every three months). (CLE 9.4, CLE 9.5, CLE 9.8, CLE 9.9, CLE 9.12, SCO 4.1, SCO 5.2, WAR 7, "
                  "WM 4.4)"), shows="further_incident comments", prefill="previous", notesNeeds="true")
    user_task(p, "consult_irm", "Consult on the proposed strategy", IRM, 15, stage="strategy_proposal",
              due="P5D", docs=(
                  "Consider the proposed contact strategy. Endorse it, ask for revisions (your comments go back to "
                  "the case officer), or decline it (the case returns to monitoring, or goes to a warning if "
                  "none was issued). You cannot endorse a strategy you proposed. (SCO 5.3, CLE 9.1)"),
              separationOf="propose_contact_strategy", shows=PROPOSAL)
    gateway(p, "exclusiveGateway", "irm_decision", "IRM decision?", IRM, 16)
    gateway(p, "exclusiveGateway", "declined_gateway", "Warned before?", IRM, 17, row=1)
    # Recorded needs or adjustments hold up the restriction until the equality adviser has advised on it
    # (CLE 8.5, 9.13, 9.14, WAR 5), whatever the proposer ticked.
    gateway(p, "exclusiveGateway", "equality_advice_first", "Needs or adjustments recorded?", EA, 16.3,
            props={"stage": "authorisation"})
    user_task(p, "equality_advice_strategy", "Advise on the strategy before it is authorised", EA, 17, due="P5D",
              stage="authorisation", docs=(
                  "Needs or reasonable adjustments are recorded for the person, so the proposed strategy cannot be "
                  "authorised until you have advised on it. Read the needs and the proposal, advise on the "
                  "adjustments it must respect (for example a channel they can use, large print, an interpreter "
                  "or an advocate) and record what was agreed. The authorising officer sees your advice. "
                  "(CLE 8.5, CLE 8.6, CLE 9.13, CLE 9.14, WAR 5)"))
    user_task(p, "authorise_contact_strategy", "Authorise the contact strategy", AO, 17.8, stage="authorisation",
              due="P5D", docs=(
                  "Only an authorising officer can restrict contact. Confirm each check, then approve or return "
                  "the proposal. Approval needs every confirmation. Read the person's recorded needs and the "
                  "equality adviser's advice, shown with this task, before confirming that access requirements "
                  "were considered. You cannot authorise a strategy you proposed. (WAR 7, SCO 5.3, CLE 9.14, "
                  "WAR 5)"), separationOf="propose_contact_strategy",
              shows=f"{PROPOSAL} comments {SHOWN_TO_AUTHORISER}")
    gateway(p, "exclusiveGateway", "authorisation_decision", "Approved?", AO, 18.6)
    user_task(p, "notify_contact_strategy", "Send the contact strategy letter", CO, 19, stage="notification",
              letter="contact_strategy_letter", due="P2D", termsInForce="true", docs=(
                  "Tell the person in writing, by post and email, about the strategy: the reason, each restriction, "
                  "that it covers this matter only and how to raise fresh matters, that police help stays "
                  "available, the first review date and how to dispute it. Enclose the policy. The strategy starts "
                  "today. (CLE 9.6, CLE 9.7, CLE 9.8, SCO 5.3, SCO 5.4, WAR 7)"), schedulesReview="from_today")
    # While the strategy is in force, the case accepts these messages; each starts an event
    # sub-process below, beside the review cycle (see docs/architecture.md, acceptsMessages).
    call(p, "contact_strategy", "Contact strategy in force", CO, 20, "contact_strategy",
         props={"stage": "strategy_active",
                "acceptsMessages": "contact_received breach_reported dispute_received partner_sharing_requested"})
    # The Chief Executive can end the restrictions whatever the strategy is doing (a review or an
    # amendment open): the signal interrupts the whole call activity, so its review timer goes too (WAR 7.3).
    event(p, "boundaryEvent", "strategy_ended_by_chief_executive", "Restrictions ended on dispute", CO, 20,
          inner=signal_def(p, "end_strategy"), attrs=' attachedToRef="contact_strategy" cancelActivity="true"')
    # Once the strategy has ended nothing else about it matters: this end terminates the case,
    # cancelling any side task still open (equality advice, contact reviews, breaches); each
    # cancellation is recorded (persistence.save_run).
    event(p, "endEvent", "closed_strategy_ended", "Closed: strategy ended", CO, 21, props=CLOSED,
          inner="<bpmn:terminateEventDefinition />")
    co = "lane_contact_management_case_officer"
    def on_message(sub_id: str, title: str, message: str, variable: str, row: int,
                   body: Callable[[Sub, str], None], start_props: dict[str, str] | None = None) -> None:
        sub = p.sub(sub_id, title, co, 13, 8, row=row, attrs=' triggeredByEvent="true"')
        start = f"{message}_start"
        event(p, "startEvent", start, title, CO, 13.2, sub=sub, attrs=' isInterrupting="false"',
              inner=message_def(p, message, variable), props=start_props)
        body(sub, start)

    def contact(sub: Sub, start: str) -> None:
        user_task(p, "review_incoming_contact", "Read and log the contact", CO, 14.5, sub=sub, due="P5D", docs=(
            "Contact arrived from the person while the strategy is in force. Every contact is still read: classify "
            "it, say whether it breaches the strategy, and record what you did. New matters and genuine complaints "
            "are handled normally. (CLE 9.10, WAR 7.2)"), shows="contact restrictions")
        gateway(p, "parallelGateway", "fork_contact", "Also consider the police?", CO, 15.3, sub=sub)
        gateway(p, "exclusiveGateway", "breach_found", "Breach?", CO, 16, sub=sub)
        call(p, "breach_from_contact", "Handle the breach", CO, 17, "breach_handling", sub=sub)
        event(p, "endEvent", "contact_handled", "Contact handled", CO, 18.5, sub=sub)
        gateway(p, "exclusiveGateway", "contact_police_matter", "Criminal or safeguarding?", CO, 16, row=1, sub=sub)
        script(p, "note_contact_for_police", "Note the classification", CO, 17, "police_concern = classification",
               row=1, sub=sub)
        call(p, "police_for_contact", "Consider the police", CO, 18, "police_consideration", row=1, sub=sub)
        event(p, "endEvent", "contact_police_considered", "Police considered", CO, 19, row=1, sub=sub)
        sub.rows = 3  # room for the "no police matter" end under the police path
        event(p, "endEvent", "contact_no_police_matter", "No police matter", CO, 17, row=2, sub=sub)
        for source, target, condition, name in [
            (start, "review_incoming_contact", None, ""), ("review_incoming_contact", "fork_contact", None, ""),
            ("fork_contact", "breach_found", None, ""), ("fork_contact", "contact_police_matter", None, ""),
            ("contact_police_matter", "note_contact_for_police", POLICE_CLASSIFICATIONS, "Yes"),
            ("contact_police_matter", "contact_no_police_matter", f"not ({POLICE_CLASSIFICATIONS})", "No"),
            ("note_contact_for_police", "police_for_contact", None, ""),
            ("police_for_contact", "contact_police_considered", None, ""),
            ("breach_found", "breach_from_contact", "is_breach", "Breach"),
            ("breach_found", "contact_handled", "not is_breach", "No breach"),
            ("breach_from_contact", "contact_handled", None, "")]:
            p.flow(source, target, condition, name, sub=sub)

    def breach(sub: Sub, start: str) -> None:
        call(p, "breach_from_report", "Handle the breach", CO, 15, "breach_handling", sub=sub)
        event(p, "endEvent", "reported_breach_handled", "Breach handled", CO, 17, sub=sub)
        p.flow(start, "breach_from_report", sub=sub)
        p.flow("breach_from_report", "reported_breach_handled", sub=sub)

    def dispute(sub: Sub, start: str) -> None:
        call(p, "handle_dispute", "Decide the dispute", CO, 14.5, "dispute_handling", sub=sub)
        gateway(p, "exclusiveGateway", "restrictions_end", "Restrictions ended?", CO, 16, sub=sub)
        event(p, "intermediateThrowEvent", "end_strategy_now", "End the strategy", CO, 17, sub=sub,
              inner=signal_def(p, "end_strategy"))
        event(p, "endEvent", "dispute_closed", "Dispute closed", CO, 18.5, sub=sub)
        for source, target, condition, name in [
            (start, "handle_dispute", None, ""), ("handle_dispute", "restrictions_end", None, ""),
            ("restrictions_end", "end_strategy_now", 'outcome == "end_restrictions"', "Ended"),
            ("restrictions_end", "dispute_closed", 'outcome != "end_restrictions"', "Upheld or varied"),
            ("end_strategy_now", "dispute_closed", None, "")]:
            p.flow(source, target, condition, name, sub=sub)

    def sharing(sub: Sub, start: str) -> None:
        call(p, "handle_partner_sharing", "Consider sharing with a partner", CO, 15, "partner_sharing", sub=sub)
        event(p, "endEvent", "sharing_decided", "Sharing decided", CO, 17, sub=sub)
        p.flow(start, "handle_partner_sharing", sub=sub)
        p.flow("handle_partner_sharing", "sharing_decided", sub=sub)

    def social_media(sub, start):
        call(p, "handle_social_media_post", "Record the social media action", CO, 15, "social_media_moderation",
             sub=sub)
        event(p, "endEvent", "social_media_recorded", "Action recorded", CO, 17, sub=sub)
        p.flow(start, "handle_social_media_post", sub=sub)
        p.flow("handle_social_media_post", "social_media_recorded", sub=sub)

    on_message("on_contact_received", "Contact received", "contact_received", "contact", 2, contact)
    on_message("on_breach_reported", "Breach reported", "breach_reported", "breach", 4, breach)
    on_message("on_dispute_received", "Dispute received", "dispute_received", "dispute", 6, dispute)
    on_message("on_partner_sharing", "Partner sharing requested", "partner_sharing_requested", "sharing_request", 8,
               sharing)
    # A post can need deleting whatever the case is doing, so this one is accepted while the case is open
    # (engine.runtime: ``acceptedWhileOpen`` on the start event).
    on_message("on_social_media_post", "Social media post", "social_media_post", "social_media_post", 10,
               social_media, start_props={"acceptedWhileOpen": "true"})
    f = p.flow
    f("record_incident", "fork_serious")
    f("fork_serious", "manager_review")
    f("fork_serious", "is_serious_case")
    f("is_serious_case", "note_incident_for_police", police_condition("behaviour_types"), "Serious")
    f("is_serious_case", "not_serious", f"not ({police_condition('behaviour_types')})", "Not serious")
    f("note_incident_for_police", "police_for_incident")
    f("police_for_incident", "police_report_considered")
    f("manager_review", "manager_decision")
    f("manager_decision", "closed_no_action", 'decision == "no_further_action"', "No further action")
    f("manager_decision", "check_underlying_causes", 'decision == "address_behaviour"', "Address behaviour")
    f("manager_decision", "note_no_warning", 'decision == "contact_strategy_now"', "Strategy now")
    f("manager_decision", "signpost_person", 'decision == "signpost"', "We cannot deal with this")
    f("signpost_person", "closed_signposted")
    f("note_no_warning", "to_strategy")
    f("check_underlying_causes", "after_causes")
    f("after_causes", "needs_identified")
    f("after_causes", "shortcomings_found")
    f("needs_identified", "equality_advice", "additional_needs_identified", "Yes")
    f("needs_identified", "no_equality_advice", "not additional_needs_identified", "No")
    f("equality_advice", "equality_advice_given")
    answers = "[process_explained, handled_proportionately, communicated_regularly, support_offered, rationale_given]"
    f("shortcomings_found", "address_shortcomings", f'"no" in {answers}', "Yes")
    f("shortcomings_found", "issue_warning", f'"no" not in {answers}', "No")
    f("address_shortcomings", "behaviour_stopped_gateway")
    f("behaviour_stopped_gateway", "closed_resolved", "behaviour_stopped", "Stopped")
    f("behaviour_stopped_gateway", "issue_warning", "not behaviour_stopped", "Not stopped")
    f("issue_warning", "note_warning_issued")
    f("note_warning_issued", "monitoring")
    f("monitoring", "further_incident_received")
    f("monitoring", "monitoring_period")
    f("further_incident_received", "fork_further_incident")
    f("fork_further_incident", "to_strategy")
    f("fork_further_incident", "further_incident_serious")
    further = 'further_incident["behaviour_types"]'
    f("further_incident_serious", "note_further_incident_for_police", police_condition(further), "Serious")
    f("further_incident_serious", "further_incident_not_serious", f"not ({police_condition(further)})",
      "Not serious")
    f("note_further_incident_for_police", "police_for_further_incident")
    f("police_for_further_incident", "further_incident_police_considered")
    f("monitoring_period", "review_monitoring")
    f("review_monitoring", "monitoring_outcome")
    f("monitoring_outcome", "closed_after_warning", 'outcome == "close"', "Close")
    f("monitoring_outcome", "monitoring", 'outcome == "extend"', "Extend")
    f("monitoring_outcome", "to_strategy", 'outcome == "escalate"', "Escalate")
    f("to_strategy", "propose_contact_strategy")
    f("propose_contact_strategy", "consult_irm")
    f("consult_irm", "irm_decision")
    f("irm_decision", "equality_advice_first", 'decision == "endorse"', "Endorse")
    f("equality_advice_first", "equality_advice_strategy", NEEDS_RECORDED, "Yes")
    f("equality_advice_first", "authorise_contact_strategy", f"not ({NEEDS_RECORDED})", "No")
    f("equality_advice_strategy", "authorise_contact_strategy")
    f("irm_decision", "propose_contact_strategy", 'decision == "revise"', "Revise")
    f("irm_decision", "declined_gateway", 'decision == "decline"', "Decline")
    f("declined_gateway", "monitoring", "warning_issued", "Warned before")
    f("declined_gateway", "issue_warning", "not warning_issued", "No warning yet")
    f("authorise_contact_strategy", "authorisation_decision")
    f("authorisation_decision", "notify_contact_strategy", 'decision == "approve"', "Approve")
    f("authorisation_decision", "propose_contact_strategy", 'decision == "return"', "Return")
    f("notify_contact_strategy", "contact_strategy")
    f("contact_strategy", "closed_strategy_ended")
    f("strategy_ended_by_chief_executive", "closed_strategy_ended", name="Ended on dispute")
    return p
