"""Issue #18 "Policy fidelity": each clause the audit found unmet, driven through the API."""
from __future__ import annotations

from journeys import strategy_with_equality_task_open
from process_driver import CONFIRMATIONS, PROPOSAL

DISPUTE = {"received_date": "2026-03-02", "grounds": "Unfair"}
END_RESTRICTIONS = {"outcome": "end_restrictions", "reasons": "The restriction is no longer proportionate"}


def _cancelled(driver) -> list[str]:
    events = driver.as_("supervisor").get(f"/api/v1/cases/{driver.case['id']}/audit").get_json()["items"]
    return sorted(e["element_id"] for e in events if e["action"] == "task_cancelled")


def _end_by_chief_executive(driver):
    driver.send("dispute_received", DISPUTE)
    driver.do("consider_dispute", "chief_executive", END_RESTRICTIONS)
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})


# -- WAR 7.3: the Chief Executive ends the restrictions from any point of the strategy -----------
def test_ending_the_restrictions_while_a_review_is_open_closes_the_case(driver):
    driver.to_active_strategy()
    driver.later(days=32)
    assert driver.ready == ["review_contact_strategy"]
    _end_by_chief_executive(driver)
    assert (driver.case["status"], driver.case["outcome"]) == ("closed", "closed_strategy_ended")
    assert driver.ready == [] and driver.waiting == {}
    assert _cancelled(driver) == ["review_contact_strategy"]
    assert "no longer proportionate" in driver.letters()["dispute_outcome_letter"]  # the person is told


def test_ending_the_restrictions_while_an_amendment_is_open_closes_the_case(driver):
    driver.to_active_strategy()
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "amend",
                                                          "changes": "Calls on Mondays", "review_interval": "P3M"})
    driver.do("set_new_terms", "case_officer", {"restrictions": [{"type": "scheduled_calls"}], "change_summary": "s"})
    assert driver.ready == ["authorise_amendment"]
    _end_by_chief_executive(driver)
    assert (driver.case["status"], driver.case["outcome"], driver.waiting) == ("closed", "closed_strategy_ended", {})
    assert _cancelled(driver) == ["authorise_amendment"]


def test_reaching_the_outcome_cancels_side_tasks_that_no_longer_matter(driver):
    strategy_with_equality_task_open(driver)  # the causes check's equality advice is still open
    _end_by_chief_executive(driver)
    assert (driver.case["status"], driver.case["outcome"], driver.ready) == ("closed", "closed_strategy_ended", [])
    assert _cancelled(driver) == ["equality_advice"]


# -- SCO 3.2, WAR 6, WM 6: the police are considered on every serious event -----------------------
FURTHER = {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17", "incident_date": "2026-03-02",
           "channel": "in_person", "description": "Threatened the officer at the front desk"}


def test_a_serious_further_incident_goes_to_the_police_too(driver):
    driver.to_monitoring()
    driver.send("further_incident", {**FURTHER, "behaviour_types": ["threats"]})
    assert driver.ready == ["consider_police_report", "propose_contact_strategy"]
    refused = driver.do("consider_police_report", "independent_review_manager",
                        {"report_to_police": False, "rationale": "r"}, status=422)
    assert "WAR 6" in refused["fields"]["report_to_police"][0]  # threats in the further incident: always reported
    driver.consider_police(report=True)
    assert driver.ready == ["propose_contact_strategy"]


def test_harassment_in_a_further_incident_is_considered_not_forced(driver):
    driver.to_monitoring()
    driver.send("further_incident", {**FURTHER, "behaviour_types": ["harassment"]})
    driver.consider_police(report=False)
    assert driver.ready == ["propose_contact_strategy"]


def test_verbal_abuse_and_discriminatory_remarks_go_to_police_consideration(driver):
    for behaviour in (["verbal_abuse"], ["discriminatory_remarks"]):
        driver.start(behaviour_types=behaviour)
        assert driver.ready == ["consider_police_report", "manager_review"], behaviour
        driver.consider_police(report=False)  # a consideration: not reporting is allowed
        assert driver.ready == ["manager_review"]


def test_a_contact_classified_criminal_or_safeguarding_goes_to_the_police(driver):
    driver.to_active_strategy()
    contact = {"contact_date": "2026-03-02", "channel": "email", "summary": "Says they will hurt someone"}
    for classification in (["criminal_matter"], ["safeguarding_concern", "new_information"]):
        driver.send("contact_received", contact)
        driver.do("review_incoming_contact", "case_officer", {"classification": classification, "is_breach": False,
                                                              "action_taken": "Passed on"})
        assert driver.ready == ["consider_police_report"], classification
        driver.consider_police(report=True)
    driver.send("contact_received", contact)
    driver.do("review_incoming_contact", "case_officer", {"classification": ["new_matter"], "is_breach": False,
                                                          "action_taken": "Logged"})
    assert driver.ready == [] and driver.case["stage"] == "strategy_active"


# -- CLE 4.6, 9.1, SCO 3.5.1: a warning first unless the behaviour is serious ---------------------
def test_straight_to_a_strategy_only_for_threatening_violent_or_abusive_behaviour(driver):
    driver.start(behaviour_types=["unreasonable_persistence"])
    refused = driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True,
                                                            "welfare_support_offered": True,
                                                            "decision": "contact_strategy_now", "rationale": "r"},
                        status=422)
    assert "CLE 4.6" in refused["fields"]["decision"][0] and "Address the behaviour" in refused["fields"]["decision"][0]
    assert driver.ready == ["manager_review"]


def test_a_declined_strategy_with_no_warning_yet_goes_to_a_warning(driver):
    driver.to_strategy_proposal()
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "decline", "comments": "Warn first"})
    assert driver.ready == ["issue_warning"] and driver.case["stage"] == "warning"
    driver.do("issue_warning", "case_officer", {"behaviour_summary": "Abuse", "requested_changes": ["signposting"],
                                                "consequences": "A strategy", "delivery": ["post"],
                                                "signposted_services": "Citizens Advice"})
    assert driver.case["stage"] == "monitoring" and "warning_letter" in driver.letters()


# -- CLE 9.12, WM 4.4: reviews never slip past the interval --------------------------------------
def test_a_late_review_does_not_push_the_next_one_back(driver):
    driver.to_active_strategy()  # P1M from 2 March: due 2 April
    driver.later(days=40)  # done on 11 April, nine days late
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "continue",
                                                          "review_interval": "P1M"})
    assert driver.waiting["review_due"]["due_at"] == "2026-05-02T09:00:00+00:00"  # from 2 April, not 11 April


def test_a_strategy_found_no_longer_appropriate_cannot_simply_continue(driver):
    driver.to_active_strategy()
    driver.later(days=32)
    refused = driver.do("review_contact_strategy", "case_officer", {"still_appropriate": False, "outcome": "continue",
                                                                    "review_interval": "P3M"}, status=422)
    assert "Amend it" in refused["fields"]["outcome"][0]
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": False, "outcome": "amend",
                                                          "changes": "Allow calls", "review_interval": "P3M"})
    assert driver.ready == ["set_new_terms"]


# -- SCO 5.3, WAR 7: four eyes, whatever roles a person holds --------------------------------------
def test_the_proposer_cannot_endorse_or_authorise_their_own_strategy(driver):
    driver.to_strategy_proposal()
    driver.do("propose_contact_strategy", "all_roles", PROPOSAL)
    refused = driver.do("consult_irm", "all_roles", {"decision": "endorse", "comments": "Mine"}, status=403)
    assert "four eyes" in refused["message"] and "Propose a contact strategy" in refused["message"]
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    refused = driver.do("authorise_contact_strategy", "all_roles",
                        {**CONFIRMATIONS, "decision": "approve", "comments": "Mine"}, status=403)
    assert "four eyes" in refused["message"]
    driver.do("authorise_contact_strategy", "authorising_officer", {**CONFIRMATIONS, "decision": "approve",
                                                                    "comments": "ok"})
    assert driver.ready == ["notify_contact_strategy"]


def test_whoever_raised_a_breach_cannot_decide_its_escalation(driver):
    driver.to_active_strategy()
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Called 30 times"})
    driver.do("handle_breach", "all_roles", {"reminder_sent": False, "escalate": True})
    refused = driver.do("escalate_breach", "all_roles", {"outcome": "reminder_only", "rationale": "r"}, status=403)
    assert "Handle the breach" in refused["message"]
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "reminder_only", "rationale": "r"})
    assert driver.ready == []
