"""Generate the shipped escalation diagrams in workflows/ from one readable description.

Run ``.venv/bin/python tools/build_workflows.py``; the output is committed. The
process follows shared/process-spec.md: element ids, lanes (role titles),
forms, stages and letters are the contract. See docs/policy-map.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bpmn_writer import Proc, document

OUT = Path(__file__).resolve().parent.parent / "workflows"
CO, LM, IRM, AO, EA, BSL, DPO, CE = ("case_officer", "line_manager", "irm", "authorising", "equality",
                                     "business_support", "dpo", "chief_executive")
LANE_TITLES = {CO: "Case Officer", LM: "Line Manager", IRM: "Independent Review Manager",
               AO: "Authorising Officer", EA: "Equality and Diversity Adviser",
               BSL: "Business Support Team Leader", DPO: "Data Protection Officer", CE: "Chief Executive"}


def lanes(pid, *spec):
    return [(f"lane_{pid}_{key}", LANE_TITLES[key], rows) for key, rows in spec]


def user_task(proc, id, name, lane, col, docs, row=0, sub=None, stage=None, letter=None, due=None, **extra):
    props = {"formJsonSchemaFilename": f"{id}.schema.json"}
    if stage:
        props["stage"] = stage
    if letter:
        props["letter"] = letter
    if due:
        props["dueIn"] = due
    props.update(extra)
    return proc.add("userTask", id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, props=props, docs=docs)


def event(proc, tag, id, name, lane, col, row=0, sub=None, inner="", props=None, attrs=""):
    return proc.add(tag, id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, inner=inner, props=props or {},
                    attrs=attrs)


def gateway(proc, tag, id, name, lane, col, row=0, sub=None, props=None):
    return proc.add(tag, id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, props=props or {})


def call(proc, id, name, lane, col, called, row=0, sub=None, props=None):
    return proc.add("callActivity", id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, props=props or {},
                    attrs=f' calledElement="{called}"')


def timer(expression, kind="timeDuration"):
    return f"<bpmn:timerEventDefinition><bpmn:{kind}>{expression}</bpmn:{kind}></bpmn:timerEventDefinition>"


def script(proc, id, name, lane, col, code, row=0, sub=None):
    return proc.add("scriptTask", id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub,
                    inner=f"<bpmn:script>{code}</bpmn:script>")


# Behaviour the police are asked to consider (SCO 3.2, WAR 6, WM 6): the serious kinds plus verbal
# abuse and discriminatory remarks; reporting stays mandatory only for violence and threats (form_rules).
def police_condition(variable):
    return (f'is_serious({variable}) or "verbal_abuse" in {variable} '
            f'or "discriminatory_remarks" in {variable}')


POLICE_CLASSIFICATIONS = '"criminal_matter" in classification or "safeguarding_concern" in classification'


def message_def(proc, name, variable):
    return f'<bpmn:messageEventDefinition messageRef="{proc.message(name, variable)}" />'


def signal_def(proc, name):
    proc.signals.add(name)
    return f'<bpmn:signalEventDefinition signalRef="sig_{name}" />'


CLOSED = {"stage": "closed"}


def main_process() -> Proc:
    p = Proc("contact_management", "Managing unreasonable and unacceptable contact",
             lanes("contact_management", (CO, 10), (LM, 1), (IRM, 2), (EA, 2), (BSL, 1), (AO, 1)))
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
                  "happen if it continues. The warning letter is produced when you complete this task. "
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
                  "WM 4.4)"))
    user_task(p, "consult_irm", "Consult on the proposed strategy", IRM, 15, stage="strategy_proposal",
              due="P5D", docs=(
                  "Consider the proposed contact strategy. Endorse it, ask for revisions (your comments go back to "
                  "the case officer), or decline it (the case returns to monitoring, or goes to a warning if "
                  "none was issued). You cannot endorse a strategy you proposed. (SCO 5.3, CLE 9.1)"),
              separationOf="propose_contact_strategy")
    gateway(p, "exclusiveGateway", "irm_decision", "IRM decision?", IRM, 16)
    gateway(p, "exclusiveGateway", "declined_gateway", "Warned before?", IRM, 17, row=1)
    user_task(p, "authorise_contact_strategy", "Authorise the contact strategy", AO, 17, stage="authorisation",
              due="P5D", docs=(
                  "Only an authorising officer can restrict contact. Confirm each check, then approve or return "
                  "the proposal. Approval needs every confirmation. You cannot authorise a strategy you "
                  "proposed. (WAR 7, SCO 5.3)"), separationOf="propose_contact_strategy")
    gateway(p, "exclusiveGateway", "authorisation_decision", "Approved?", AO, 18)
    gateway(p, "parallelGateway", "approved_split", "Approved", CO, 18)
    gateway(p, "exclusiveGateway", "adjustments_changed", "Adjustments changed?", EA, 18)
    user_task(p, "equality_advice_strategy", "Advise on adjustments in the strategy", EA, 19, due="P10D", docs=(
        "The approved strategy changes the reasonable adjustments made for the person. Advise on them and "
        "record what was agreed. (CLE 9.14, CLE 8.5)"))
    event(p, "endEvent", "strategy_advice_given", "Advice given", EA, 20)
    event(p, "endEvent", "no_strategy_advice", "No advice needed", EA, 19, row=1)
    user_task(p, "notify_contact_strategy", "Send the contact strategy letter", CO, 19, stage="notification",
              letter="contact_strategy_letter", due="P2D", docs=(
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
    def on_message(sub_id, title, message, variable, row, body):
        sub = p.sub(sub_id, title, co, 13, 8, row=row, attrs=' triggeredByEvent="true"')
        start = f"{message}_start"
        event(p, "startEvent", start, title, CO, 13.2, sub=sub, attrs=' isInterrupting="false"',
              inner=message_def(p, message, variable))
        body(sub, start)

    def contact(sub, start):
        user_task(p, "review_incoming_contact", "Read and log the contact", CO, 14.5, sub=sub, due="P5D", docs=(
            "Contact arrived from the person while the strategy is in force. Every contact is still read: classify "
            "it, say whether it breaches the strategy, and record what you did. New matters and genuine complaints "
            "are handled normally. (CLE 9.10, WAR 7.2)"))
        gateway(p, "parallelGateway", "fork_contact", "Also consider the police?", CO, 15.3, sub=sub)
        gateway(p, "exclusiveGateway", "breach_found", "Breach?", CO, 16, sub=sub)
        call(p, "breach_from_contact", "Handle the breach", CO, 17, "breach_handling", sub=sub)
        event(p, "endEvent", "contact_handled", "Contact handled", CO, 18.5, sub=sub)
        gateway(p, "exclusiveGateway", "contact_police_matter", "Criminal or safeguarding?", CO, 16, row=1, sub=sub)
        script(p, "note_contact_for_police", "Note the classification", CO, 17, "police_concern = classification",
               row=1, sub=sub)
        call(p, "police_for_contact", "Consider the police", CO, 18, "police_consideration", row=1, sub=sub)
        event(p, "endEvent", "contact_police_considered", "Police considered", CO, 19, row=1, sub=sub)
        event(p, "endEvent", "contact_no_police_matter", "No police matter", CO, 17.7, row=1, sub=sub)
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

    def breach(sub, start):
        call(p, "breach_from_report", "Handle the breach", CO, 15, "breach_handling", sub=sub)
        event(p, "endEvent", "reported_breach_handled", "Breach handled", CO, 17, sub=sub)
        p.flow(start, "breach_from_report", sub=sub)
        p.flow("breach_from_report", "reported_breach_handled", sub=sub)

    def dispute(sub, start):
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

    def sharing(sub, start):
        call(p, "handle_partner_sharing", "Consider sharing with a partner", CO, 15, "partner_sharing", sub=sub)
        event(p, "endEvent", "sharing_decided", "Sharing decided", CO, 17, sub=sub)
        p.flow(start, "handle_partner_sharing", sub=sub)
        p.flow("handle_partner_sharing", "sharing_decided", sub=sub)

    on_message("on_contact_received", "Contact received", "contact_received", "contact", 2, contact)
    on_message("on_breach_reported", "Breach reported", "breach_reported", "breach", 4, breach)
    on_message("on_dispute_received", "Dispute received", "dispute_received", "dispute", 6, dispute)
    on_message("on_partner_sharing", "Partner sharing requested", "partner_sharing_requested", "sharing_request", 8,
               sharing)
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
    f("irm_decision", "authorise_contact_strategy", 'decision == "endorse"', "Endorse")
    f("irm_decision", "propose_contact_strategy", 'decision == "revise"', "Revise")
    f("irm_decision", "declined_gateway", 'decision == "decline"', "Decline")
    f("declined_gateway", "monitoring", "warning_issued", "Warned before")
    f("declined_gateway", "issue_warning", "not warning_issued", "No warning yet")
    f("authorise_contact_strategy", "authorisation_decision")
    f("authorisation_decision", "approved_split", 'decision == "approve"', "Approve")
    f("authorisation_decision", "propose_contact_strategy", 'decision == "return"', "Return")
    f("approved_split", "notify_contact_strategy")
    f("approved_split", "adjustments_changed")
    f("adjustments_changed", "equality_advice_strategy", "adjustments_considered", "Yes")
    f("adjustments_changed", "no_strategy_advice", "not adjustments_considered", "No")
    f("equality_advice_strategy", "strategy_advice_given")
    f("notify_contact_strategy", "contact_strategy")
    f("contact_strategy", "closed_strategy_ended")
    f("strategy_ended_by_chief_executive", "closed_strategy_ended", name="Ended on dispute")
    return p


def contact_strategy() -> Proc:
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
        "adjustments in place. (CLE 9.12, CLE 9.13, WAR 7.1, WM 4.4)"), schedulesReview="from_due_date")
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


def police_consideration() -> Proc:
    """One consideration of the police, called for every serious event (SCO 3.2, WAR 6, WM 6).

    The caller puts the event's behaviour types or contact classification in ``police_concern``;
    the form's rule reads it to make reporting violence and threats mandatory.
    """
    p = Proc("police_consideration", "Considering the police", lanes("police_consideration", (IRM, 1)))
    event(p, "startEvent", "police_start", "Serious event", IRM, 0)
    user_task(p, "consider_police_report", "Consider reporting to the police", IRM, 1, due="P2D", docs=(
        "The person's behaviour or contact may be a police matter: violence, threats, harassment, stalking, "
        "intimidation, verbal abuse or discriminatory remarks, or a contact classified as a criminal or "
        "safeguarding matter. Decide whether to report it to the police and record the police reference. "
        "Violence and threats are always reported. (SCO 3.2, WAR 6, WM 6, CLE 9.10)"))
    event(p, "endEvent", "police_considered", "Police considered", IRM, 2)
    p.flow("police_start", "consider_police_report")
    p.flow("consider_police_report", "police_considered")
    return p


def breach_handling() -> Proc:
    p = Proc("breach_handling", "Handling a breach of the contact strategy",
             lanes("breach_handling", (CO, 1), (IRM, 2)))
    event(p, "startEvent", "breach_start", "Breach to handle", CO, 0)
    user_task(p, "handle_breach", "Handle the breach", CO, 1, letter="breach_reminder_letter",
              letterWhen="reminder_sent", due="P5D", docs=(
                  "The person has breached the contact strategy. Send a reminder of its terms if appropriate (the "
                  "reminder letter is produced when you say one was sent), and decide whether to escalate to the "
                  "Independent Review Manager. (CLE 9.11)"))
    gateway(p, "exclusiveGateway", "escalate_gateway", "Escalate?", CO, 2)
    event(p, "endEvent", "breach_handled", "Breach handled", CO, 3)
    user_task(p, "escalate_breach", "Decide what to do about repeated breaches", IRM, 3, due="P5D", docs=(
        "Decide the response to the breach: a reminder only, tightening the strategy (authorisation needed), "
        "seeking legal advice, or reporting to the police. You cannot decide a breach you raised. "
        "(SCO 6.2, CLE 10, SCO 5.3)"), separationOf="review_incoming_contact handle_breach")
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


def strategy_amendment() -> Proc:
    p = Proc("strategy_amendment", "Amending the contact strategy", lanes("strategy_amendment", (AO, 1), (CO, 1)))
    event(p, "startEvent", "amendment_start", "Amendment proposed", AO, 0)
    user_task(p, "authorise_amendment", "Authorise the change to the strategy", AO, 1, due="P5D", docs=(
        "A change to the contact strategy is proposed. Only an authorising officer can change a restriction: "
        "approve it or return it to the case officer with comments. (WAR 7, WAR 7.1, SCO 5.3)"))
    gateway(p, "exclusiveGateway", "amendment_decision", "Approved?", AO, 2)
    user_task(p, "revise_amendment", "Revise the proposed change", CO, 2, due="P5D", docs=(
        "The authorising officer returned the change. Revise it in the light of their comments. (WAR 7)"))
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


def dispute_handling() -> Proc:
    p = Proc("dispute_handling", "Deciding a dispute", lanes("dispute_handling", (CE, 1), (CO, 1)))
    event(p, "startEvent", "dispute_start", "Dispute received", CE, 0)
    user_task(p, "consider_dispute", "Decide the dispute of the restriction", CE, 1, due="P20D", docs=(
        "The person disputes the contact strategy in writing. Decide whether to uphold it, vary it (authorisation "
        "needed) or end the restrictions, and give your reasons. (WAR 7.3)"))
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


def partner_sharing() -> Proc:
    p = Proc("partner_sharing", "Sharing information with a partner agency",
             lanes("partner_sharing", (DPO, 1), (CO, 1)))
    event(p, "startEvent", "sharing_start", "Sharing requested", DPO, 0)
    user_task(p, "dpo_consultation", "Decide whether personal data may be shared", DPO, 1, due="P5D", docs=(
        "A partner agency asked for information about the person. Decide whether sharing is lawful and on which "
        "basis, with any conditions. (CLE 9.15, WAR 7.1)"))
    gateway(p, "exclusiveGateway", "sharing_decision", "Approved?", DPO, 2)
    event(p, "endEvent", "sharing_refused", "Sharing refused", DPO, 3)
    user_task(p, "record_partner_sharing", "Record what was shared", CO, 3, due="P5D", recordsDisclosure="true", docs=(
        "The DPO approved sharing. Record when it was shared and exactly what. (CLE 9.15)"))
    event(p, "endEvent", "sharing_recorded", "Sharing recorded", CO, 4)
    f = p.flow
    f("sharing_start", "dpo_consultation")
    f("dpo_consultation", "sharing_decision")
    f("sharing_decision", "record_partner_sharing", 'decision == "approve"', "Approve")
    f("sharing_decision", "sharing_refused", 'decision == "refuse"', "Refuse")
    f("record_partner_sharing", "sharing_recorded")
    return p


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for build in (main_process, contact_strategy, breach_handling, strategy_amendment, dispute_handling,
                  partner_sharing, police_consideration):
        proc = build()
        (OUT / f"{proc.pid}.bpmn").write_text(document(f"{proc.pid}_definitions", [proc]))
        print("wrote", OUT / f"{proc.pid}.bpmn")


if __name__ == "__main__":
    main()
