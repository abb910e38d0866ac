"""Issue #18 items 5 and 6: equality advice holds up a restriction, and amendments record the new terms.

CLE 8.5, 9.13, 9.14, WAR 5: when needs or adjustments are on record, the equality adviser advises
before any strategy or change is authorised, and the authorising officer reads the advice.
CLE 9.11, SCO 6, WM 4.5: a change edits the restrictions themselves; the change letter states the new
terms and never the internal reasons; later reminders restate the terms in force.
"""
from __future__ import annotations

from process_driver import CONFIRMATIONS, PROPOSAL

NEEDS = {"additional_needs": "Dyslexia: reads large print only", "reasonable_adjustments": "Letters in 16pt"}
ADVICE = {"advice": "Keep large print; email is fine if they agree", "adjustments_agreed": "16pt letters"}
NEW_TERMS = [{"type": "email_only", "detail": "one mailbox"},
             {"type": "limit_contact_frequency", "detail": "one email a week"}]


def _task(driver, element: str, user: str) -> dict:
    task = next(t for t in driver.case["ready_tasks"] if t["element_id"] == element)
    response = driver.as_(user).get(f"/api/v1/tasks/{task['id']}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _endorsed(driver, **incident):
    driver.to_strategy_proposal(**incident)
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)  # adjustments_considered: False
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})


def _approved_and_notified(driver):
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "approve", "comments": "ok"})
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})


# -- item 5: equality advice before authorisation ---------------------------------------------------
def test_needs_told_at_the_start_hold_up_authorisation_until_the_adviser_has_advised(driver):
    _endorsed(driver, **NEEDS)
    assert driver.ready == ["equality_advice_strategy"] and driver.case["stage"] == "authorisation"
    driver.do("equality_advice_strategy", "equality_adviser", ADVICE)
    assert driver.ready == ["authorise_contact_strategy"]
    shown = {s["field"]: s["text"] for s in _task(driver, "authorise_contact_strategy", "authorising_officer")["shown"]}
    assert shown["additional_needs"] == NEEDS["additional_needs"]
    assert shown["reasonable_adjustments"] == NEEDS["reasonable_adjustments"]
    assert shown["advice"] == ADVICE["advice"] and shown["adjustments_agreed"] == "16pt letters"


def test_a_language_need_kept_with_the_contact_details_holds_up_authorisation_too(driver):
    """CLE 8.6, WAR 5c: an interpreter need recorded only with the person's contact details."""
    _endorsed(driver, language_needs="Polish interpreter")
    assert driver.ready == ["equality_advice_strategy"] and driver.case["stage"] == "authorisation"


def test_needs_found_in_the_causes_check_hold_up_authorisation_too(driver):
    driver.start()
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": True,
                                                 "decision": "address_behaviour", "rationale": "Pattern"})
    driver.do("check_underlying_causes", "case_officer", {**{k: "yes" for k in [
        "process_explained", "handled_proportionately", "communicated_regularly", "support_offered",
        "rationale_given"]}, "additional_needs_identified": True, "adjustments_required": "A Polish interpreter"})
    driver.do("equality_advice", "equality_adviser", {"advice": "Book an interpreter", "adjustments_agreed": "Yes"})
    driver.do("issue_warning", "case_officer", {"behaviour_summary": "Abuse", "requested_changes": ["signposting"],
                                                "signposted_services": "Citizens Advice",
                                                "consequences": "A strategy", "delivery": ["post"]})
    driver.send("further_incident", {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17",
                                     "incident_date": "2026-03-02", "channel": "email",
                                     "behaviour_types": ["unreasonable_demands"], "description": "Again"})
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)  # the proposer did not tick adjustments
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    assert driver.ready == ["equality_advice_strategy"]
    driver.do("equality_advice_strategy", "equality_adviser", {"advice": "Interpreter for calls",
                                                               "adjustments_agreed": "Interpreter"})
    shown = {s["field"]: s["text"] for s in _task(driver, "authorise_contact_strategy", "authorising_officer")["shown"]}
    assert shown["adjustments_required"] == "A Polish interpreter" and shown["advice"] == "Interpreter for calls"


def test_with_no_needs_on_record_the_strategy_goes_straight_to_authorisation(driver):
    _endorsed(driver)
    assert driver.ready == ["authorise_contact_strategy"]
    _approved_and_notified(driver)
    assert driver.ready == [] and driver.case["stage"] == "strategy_active"  # no advice task left over


def test_a_change_for_a_person_with_needs_waits_for_equality_advice(driver):
    _endorsed(driver, **NEEDS)
    driver.do("equality_advice_strategy", "equality_adviser", ADVICE)
    _approved_and_notified(driver)
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": False, "outcome": "amend",
                                                          "changes": "Tighten", "review_interval": "P1M"})
    driver.do("set_new_terms", "case_officer", {"restrictions": NEW_TERMS, "change_summary": "One email a week"})
    assert driver.ready == ["equality_advice_amendment"]
    driver.do("equality_advice_amendment", "equality_adviser", {"advice": "Weekly email is accessible",
                                                                "adjustments_agreed": "16pt letters"})
    shown = {s["field"]: s["text"] for s in _task(driver, "authorise_amendment", "authorising_officer")["shown"]}
    assert shown["advice"] == "Weekly email is accessible" and shown["additional_needs"] == NEEDS["additional_needs"]
    assert "How often they may contact us" in shown["restrictions"] or "one email a week" in shown["restrictions"]


# -- item 6: amendments record the new terms ----------------------------------------------------------
def test_a_change_edits_the_restrictions_and_its_letter_states_the_new_terms_not_the_reasons(driver):
    driver.to_active_strategy()
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {
        "still_appropriate": False, "outcome": "amend", "review_interval": "P1M",
        "changes": "INTERNAL: the team is worn out by daily emails"})
    assert _task(driver, "set_new_terms", "case_officer")["prefill"]["restrictions"] == PROPOSAL["restrictions"]
    driver.do("set_new_terms", "case_officer", {"restrictions": NEW_TERMS,
                                                "change_summary": "You may now email us once a week."})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "return",
                                                             "comments": "INTERNAL: say which day"})
    assert _task(driver, "revise_amendment", "case_officer")["prefill"]["restrictions"] == NEW_TERMS
    driver.do("revise_amendment", "case_officer", {"restrictions": NEW_TERMS,
                                                   "change_summary": "You may now email us once a week, on Mondays."})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "INTERNAL: fine"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    letter = driver.letters()["strategy_change_letter"]
    for said in ("once a week, on Mondays", "Contact with us must be by email: one mailbox",
                 "How often you may contact us will be limited: one email a week", "Repeated abusive calls"):
        assert said in letter, said
    assert "INTERNAL" not in letter


def test_a_later_reminder_restates_the_terms_in_force(driver):
    driver.to_active_strategy()
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "vary", "reasons": "INTERNAL: allow weekly email"})
    driver.do("set_new_terms", "case_officer", {"restrictions": NEW_TERMS, "change_summary": "Weekly email"})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Ten emails in a day"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    reminder = driver.letters()["breach_reminder_letter"]
    assert "How often you may contact us will be limited: one email a week" in reminder
    assert "Why these arrangements are in place" in reminder and "Repeated abusive calls" in reminder  # reasons (CLE 9.11, WAR 7.1)
    # ...and a later change starts from the terms in force, not the review cycle's older copy
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "amend",
                                                          "changes": "Relax", "review_interval": "P1M"})
    assert _task(driver, "set_new_terms", "case_officer")["prefill"]["restrictions"] == NEW_TERMS
