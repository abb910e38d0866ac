"""Every path of shared/process-spec.md, driven through the API on the shipped diagrams."""
from __future__ import annotations

from process_driver import CONFIRMATIONS, PROPOSAL


def test_no_further_action_closes_the_case(driver):
    driver.start()
    assert driver.case["stage"] == "manager_review" and driver.ready == ["manager_review"]
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": False, "welfare_support_offered": True,
                                                 "decision": "no_further_action", "rationale": "Isolated"})
    assert (driver.case["status"], driver.case["stage"], driver.case["outcome"]) == ("closed", "closed",
                                                                                       "closed_no_action")


def test_shortcomings_put_right_and_behaviour_stopped(driver):
    driver.start()
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": True,
                                                 "decision": "address_behaviour", "rationale": "r"})
    assert driver.case["stage"] == "causes_check"
    driver.do("check_underlying_causes", "case_officer", {
        "process_explained": "no", "handled_proportionately": "yes", "communicated_regularly": "yes",
        "support_offered": "not_applicable", "rationale_given": "yes", "additional_needs_identified": False})
    driver.do("address_shortcomings", "case_officer", {"actions_taken": "Apologised", "behaviour_stopped": True})
    assert (driver.case["status"], driver.case["outcome"]) == ("closed", "closed_resolved")


def test_shortcomings_not_stopped_lead_to_a_warning(driver):
    driver.start()
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": True,
                                                 "decision": "address_behaviour", "rationale": "r"})
    driver.do("check_underlying_causes", "case_officer", {
        "process_explained": "no", "handled_proportionately": "no", "communicated_regularly": "yes",
        "support_offered": "yes", "rationale_given": "yes", "additional_needs_identified": True,
        "adjustments_required": "Large print"})
    assert driver.ready == ["address_shortcomings", "equality_advice"]
    driver.do("address_shortcomings", "case_officer", {"actions_taken": "Explained", "behaviour_stopped": False})
    assert driver.ready == ["equality_advice", "issue_warning"]  # equality advice never holds up the main path
    driver.do("equality_advice", "equality_adviser", {"advice": "Use large print", "adjustments_agreed": "Yes"})
    assert driver.ready == ["issue_warning"] and driver.case["stage"] == "warning"


def test_warning_then_monitoring_period_then_close(driver):
    driver.to_monitoring()
    assert driver.case["stage"] == "monitoring"
    assert driver.waiting["monitoring_period"]["due_at"] == "2026-06-02T09:00:00+00:00"  # P3M from 2 March
    assert "further_incident" in driver.waiting
    assert "warning_letter" in driver.letters()
    driver.later(days=93)
    assert driver.ready == ["review_monitoring"]
    driver.do("review_monitoring", "business_support_lead", {"outcome": "close", "notes": "Quiet"})
    assert (driver.case["status"], driver.case["outcome"]) == ("closed", "closed_after_warning")


def test_monitoring_extend_then_escalate(driver):
    driver.to_monitoring()
    driver.later(days=93)
    driver.do("review_monitoring", "business_support_lead", {"outcome": "extend", "notes": "Watch"})
    assert driver.case["stage"] == "monitoring" and "monitoring_period" in driver.waiting
    driver.later(days=93)
    driver.do("review_monitoring", "business_support_lead", {"outcome": "escalate", "notes": "Worse"})
    assert driver.ready == ["propose_contact_strategy"] and driver.case["stage"] == "strategy_proposal"


def test_further_incident_during_monitoring_goes_to_a_strategy(driver):
    driver.to_monitoring()
    incident = {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17", "incident_date": "2026-03-02",
                "channel": "email", "behaviour_types": ["unreasonable_demands"], "description": "Again"}
    driver.send("further_incident", incident)
    assert driver.ready == ["propose_contact_strategy"] and set(driver.waiting) == {"social_media_post"}


def test_irm_revise_then_decline_returns_to_monitoring(driver):
    driver.to_monitoring()  # a warning was issued, so a declined strategy returns to monitoring (CLE 9.1)
    driver.later(days=93)
    driver.do("review_monitoring", "business_support_lead", {"outcome": "escalate", "notes": "Worse"})
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "revise", "comments": "Narrower"})
    assert driver.ready == ["propose_contact_strategy"]
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "decline", "comments": "Not needed"})
    assert driver.case["stage"] == "monitoring" and "monitoring_period" in driver.waiting


def test_authorisation_return_then_approve_and_notify(driver):
    driver.to_strategy_proposal()
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    assert driver.case["stage"] == "authorisation"
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "return", "comments": "More detail"})
    assert driver.ready == ["propose_contact_strategy"]
    driver.do("propose_contact_strategy", "case_officer", {**PROPOSAL, "adjustments_considered": True})
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    assert driver.ready == ["equality_advice_strategy"]  # adjustments considered: advice before authorisation
    driver.do("equality_advice_strategy", "equality_adviser", {"advice": "Email suits them", "adjustments_agreed": "-"})
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "approve", "comments": "ok"})
    assert driver.ready == ["notify_contact_strategy"]
    assert driver.case["stage"] == "notification"
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post", "email"], "agreement_sought": True,
                                                          "individual_agreed": "not_known"})
    assert driver.case["stage"] == "strategy_active"
    assert driver.waiting["review_due"]["due_at"] == "2026-04-02T09:00:00+00:00"  # review_interval P1M
    letter = driver.letters()["contact_strategy_letter"]
    for required in ["Repeated abusive calls", "Contact with us must be by email", "OPCC-2026-17 only",
                     "Write to the complaints team", "999", "101", "2 April 2026", "Chief Executive",
                     "policy on managing contact is enclosed"]:
        assert required in letter, required


def test_review_continue_amend_and_end(driver):
    driver.to_active_strategy()
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "continue",
                                                          "review_interval": "P2M"})
    assert driver.waiting["review_due"]["due_at"] == "2026-06-02T09:00:00+00:00"  # from the due date (CLE 9.12)
    driver.later(days=62)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "amend",
                                                          "changes": "Add scheduled calls", "review_interval": "P3M"})
    driver.do("set_new_terms", "case_officer", {"restrictions": [{"type": "scheduled_calls"}],
                                                "change_summary": "You may call us at set times"})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "return", "comments": "Say when"})
    driver.do("revise_amendment", "case_officer", {"restrictions": [{"type": "scheduled_calls", "detail": "Mondays"}],
                                                   "change_summary": "Calls on Mondays at 10"})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["email"]})
    assert "Calls on Mondays at 10" in driver.letters()["strategy_change_letter"]
    assert driver.waiting["review_due"]["due_at"] == "2026-09-02T09:00:00+00:00"
    driver.later(days=95)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": False, "outcome": "end",
                                                          "review_interval": "P3M"})
    driver.do("notify_strategy_end", "case_officer", {"delivery": ["post"]})
    assert (driver.case["stage"], driver.case["outcome"]) == ("closed", "closed_strategy_ended")
    assert "strategy_end_letter" in driver.letters()


def test_contact_received_with_and_without_breach(driver):
    driver.to_active_strategy()
    contact = {"contact_date": "2026-03-02", "channel": "email", "summary": "Another email"}
    driver.send("contact_received", contact)
    driver.do("review_incoming_contact", "case_officer", {"classification": ["same_matter_no_new_info"],
                                                          "is_breach": False, "action_taken": "Logged"})
    assert driver.ready == [] and driver.case["stage"] == "strategy_active"
    driver.send("contact_received", contact)
    driver.do("review_incoming_contact", "case_officer", {"classification": ["new_information"],
                                                          "is_breach": True, "action_taken": "Breach"})
    assert driver.ready == ["handle_breach"]
    driver.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    assert "breach_reminder_letter" in driver.letters() and "review_due" in driver.waiting


def _escalated_breach(driver):
    driver.to_active_strategy()
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Called 30 times"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
    assert "breach_reminder_letter" not in driver.letters()


def test_breach_escalation_reminder_only(driver):
    _escalated_breach(driver)
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "reminder_only", "rationale": "r"})
    assert driver.ready == []


def test_breach_escalation_tightens_the_strategy(driver):
    _escalated_breach(driver)
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "tighten_strategy", "rationale": "r"})
    driver.do("set_new_terms", "case_officer", {"restrictions": [{"type": "post_only"}], "change_summary": "Post only"})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    assert "strategy_change_letter" in driver.letters()


def test_breach_escalation_legal_advice_and_police(driver):
    _escalated_breach(driver)
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "seek_legal_advice", "rationale": "r"})
    driver.do("further_action", "independent_review_manager", {"advice_summary": "s", "action": "none"})
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Again"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "report_to_police", "rationale": "r"})
    assert driver.ready == [] and driver.case["stage"] == "strategy_active"


def test_dispute_uphold_and_vary_keep_the_review_timer(driver):
    driver.to_active_strategy()
    due = driver.waiting["review_due"]["due_at"]
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "uphold", "reasons": "Proportionate"})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    assert "Proportionate" in driver.letters()["dispute_outcome_letter"]
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Still unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "vary", "reasons": "Allow calls"})
    driver.do("set_new_terms", "case_officer", {"restrictions": [{"type": "scheduled_calls"}],
                                                "change_summary": "Calls at set times"})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    assert driver.waiting["review_due"]["due_at"] == due and driver.case["stage"] == "strategy_active"


def test_dispute_ending_the_restrictions_cancels_the_review_and_closes(driver):
    driver.to_active_strategy()
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "end_restrictions", "reasons": "Ended"})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    assert (driver.case["status"], driver.case["outcome"], driver.waiting) == ("closed", "closed_strategy_ended", {})


def test_dpo_approves_or_refuses_partner_sharing(driver):
    driver.to_active_strategy()
    driver.send("partner_sharing_requested", {"agency": "Council", "purpose": "Safeguarding"})
    driver.do("dpo_consultation", "dpo", {"decision": "refuse"})
    assert driver.ready == []
    driver.send("partner_sharing_requested", {"agency": "Police", "purpose": "Risk"})
    refused = driver.do("dpo_consultation", "dpo", {"decision": "approve"}, status=422)
    assert "legal_basis" in refused["fields"]
    driver.do("dpo_consultation", "dpo", {"decision": "approve", "legal_basis": "risk_to_life"})
    driver.do("record_partner_sharing", "case_officer", {"shared_on": "2026-03-02", "details_shared": "Address"})
    assert driver.ready == []


def test_serious_case_runs_the_police_branch_in_parallel(driver):
    driver.start(behaviour_types=["threats"])
    assert driver.ready == ["consider_police_report", "manager_review"]
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": True,
                                                 "decision": "no_further_action", "rationale": "r"})
    assert (driver.case["status"], driver.case["outcome"]) == ("active", "closed_no_action")  # police branch open
    refused = driver.do("consider_police_report", "independent_review_manager",
                        {"report_to_police": False, "rationale": "r"}, status=422)
    assert "WAR 6" in refused["fields"]["report_to_police"][0]
    driver.do("consider_police_report", "independent_review_manager",
              {"report_to_police": True, "police_reference": "CR/1", "rationale": "Threats"})
    assert driver.case["status"] == "closed" and driver.case["outcome"] == "closed_no_action"


def test_messages_are_refused_where_the_spec_does_not_allow_them(driver):
    driver.start()
    before = driver.case
    for name, data in [("breach_reported", {"breach_date": "2026-03-02", "description": "x"}),
                       ("contact_received", {"contact_date": "2026-03-02", "channel": "email", "summary": "x"}),
                       ("dispute_received", {"received_date": "2026-03-02", "grounds": "x"}),
                       ("partner_sharing_requested", {"agency": "a", "purpose": "p"})]:
        assert driver.send(name, data, status=409)["error"] == "conflict"
    assert driver.refresh().case["ready_tasks"] == before["ready_tasks"]
