"""Letters that restate the restrictions word each one, with or without its optional detail."""
from __future__ import annotations

from process_driver import CONFIRMATIONS, PROPOSAL


def test_a_restriction_without_detail_still_makes_the_strategy_and_reminder_letters(driver):
    """Found by the process explorer: "detail" is optional on the form, but both letters read it
    unconditionally, so notifying the strategy failed and the case stuck at notification."""
    driver.to_strategy_proposal()
    restrictions = [{"type": "premises_ban"}, {"type": "email_only", "detail": "complaints@example.org"}]
    driver.do("propose_contact_strategy", "case_officer", {**PROPOSAL, "restrictions": restrictions})
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "Fine"})
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "approve", "comments": "Approved"})
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    assert driver.case["stage"] == "strategy_active"
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Came to the office"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    letters = driver.letters()
    for name in ("contact_strategy_letter", "breach_reminder_letter"):
        assert "<li>You may not visit our premises</li>" in letters[name], name
        assert "Contact with us must be by email: complaints@example.org" in letters[name], name
