"""Whole journeys through the shipped escalation, shared by the tests that serve it in different ways.

The same journey runs through the test client, through two apps on one
database (two processes' caches in one test), and through gunicorn workers:
a behaviour that depends on which process served a request shows up as a
difference between them.
"""
from __future__ import annotations

from process_driver import CONFIRMATIONS, PROPOSAL, Driver

CONTACT = {"contact_date": "2026-03-02", "channel": "email", "summary": "Another message"}
REVIEWED = {"classification": ["same_matter_no_new_info"], "is_breach": False, "action_taken": "Logged"}
ADVICE = {"advice": "Keep large print", "adjustments_agreed": "Large print"}
NEW_TERMS = {"restrictions": [{"type": "email_only"}, {"type": "scheduled_calls", "detail": "Mondays at 10"}],
             "change_summary": "You may also call us on Mondays at 10."}
INCIDENT_AGAIN = {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17", "incident_date": "2026-03-02",
                  "channel": "email", "behaviour_types": ["unreasonable_demands"], "description": "Again"}


def strategy_with_equality_task_open(driver: Driver) -> Driver:
    """An active contact strategy whose first equality advice (asked for in the causes check) is still open
    beside it; the advice on the strategy itself came before authorisation (CLE 9.14)."""
    driver.to_monitoring(needs="Large print")
    driver.send("further_incident", INCIDENT_AGAIN)
    driver.do("propose_contact_strategy", "case_officer", {**PROPOSAL, "adjustments_considered": True})
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    driver.do("equality_advice_strategy", "equality_adviser", ADVICE)
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "approve", "comments": "ok"})
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    assert driver.ready == ["equality_advice"] and driver.case["stage"] == "strategy_active"
    return driver


def many_contacts(driver: Driver, contacts: int) -> None:
    """Log and review ``contacts`` contacts; nothing else may change."""
    for number in range(contacts):
        driver.send("contact_received", CONTACT)
        assert "review_incoming_contact" in driver.ready, f"contact {number + 1}"
        driver.do("review_incoming_contact", "case_officer", REVIEWED)
        assert driver.ready == ["equality_advice"], f"contact {number + 1}: {driver.ready}"
        assert driver.case["stage"] == "strategy_active"


def monitoring_refuses_contacts(driver: Driver) -> None:
    """A case in monitoring (no strategy) neither lists nor takes ``contact_received``."""
    driver.to_monitoring()
    assert "contact_received" not in driver.waiting, driver.waiting
    refused = driver.send("contact_received", CONTACT, status=409)
    assert refused["error"] == "conflict"


def full_escalation(driver: Driver) -> None:
    """Warning, monitoring, a further incident, a strategy, contacts, breaches up to further action, a dispute,
    an amendment, and the end of the strategy."""
    strategy_with_equality_task_open(driver)
    many_contacts(driver, 3)
    driver.send("contact_received", CONTACT)
    driver.do("review_incoming_contact", "case_officer", {"classification": ["new_information"], "is_breach": True,
                                                          "action_taken": "Breach"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    for outcome in ("seek_legal_advice", "report_to_police"):
        driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Called 30 times"})
        driver.do("handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
        driver.do("escalate_breach", "independent_review_manager", {"outcome": outcome, "rationale": "r"})
        if outcome == "seek_legal_advice":
            driver.do("further_action", "independent_review_manager", {"advice_summary": "s", "action": "none"})
    assert driver.ready == ["equality_advice"], driver.ready
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "vary", "reasons": "Allow calls"})
    driver.do("set_new_terms", "case_officer", NEW_TERMS)
    driver.do("equality_advice_amendment", "equality_adviser", ADVICE)  # needs are on record
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    many_contacts(driver, 2)
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Still unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "end_restrictions", "reasons": "Ended"})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    assert (driver.case["outcome"], driver.waiting) == ("closed_strategy_ended", {}), driver.case


BREACH = {"breach_date": "2026-03-02", "description": "Called 30 times"}
DISPUTE = {"received_date": "2026-03-02", "grounds": "Unfair"}


def breach_amendment_and_dispute(driver: Driver) -> int:
    """Two breaches (one tightening the strategy through an amendment), then a dispute varying it."""
    driver.to_active_strategy()
    driver.send("breach_reported", BREACH)
    driver.do("handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "tighten_strategy", "rationale": "r"})
    driver.do("set_new_terms", "case_officer", NEW_TERMS)
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    driver.send("breach_reported", {**BREACH, "description": "Again"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    driver.send("dispute_received", DISPUTE)
    driver.do("consider_dispute", "chief_executive", {"outcome": "vary", "reasons": "Allow calls"})
    driver.do("set_new_terms", "case_officer", NEW_TERMS)
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    assert driver.ready == [] and driver.case["stage"] == "strategy_active"
    return driver.case["id"]
