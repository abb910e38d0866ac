"""The task page shows what a decision needs beside the form (#18 items 5 and 6): the authorising
officer reads the recorded needs and the equality advice; a change starts from the terms in force."""
from __future__ import annotations

from process_driver import CONFIRMATIONS, PROPOSAL
from web_support import main_text


def test_the_authoriser_reads_the_needs_and_the_equality_advice_beside_the_form(staff, setup):
    case_id = setup.to_strategy_proposal(additional_needs="Partially sighted: large print")
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    setup.complete(case_id, "consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    setup.complete(case_id, "equality_advice_strategy", "equality_adviser",
                   {"advice": "Send everything in 16pt", "adjustments_agreed": "Large print letters"})
    text = main_text(staff("authorising_officer").get(f"/tasks/{setup.task(case_id, 'authorise_contact_strategy').id}"))
    assert "What you are deciding" in text
    assert "Additional needs the person has told us about Partially sighted: large print" in text
    assert "Advice Send everything in 16pt" in text and "Adjustments agreed Large print letters" in text


def test_a_change_starts_from_the_restrictions_in_force(staff, setup):
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    setup.complete(case_id, "consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    setup.complete(case_id, "authorise_contact_strategy", "authorising_officer",
                   {**CONFIRMATIONS, "decision": "approve", "comments": "ok"})
    setup.complete(case_id, "notify_contact_strategy", "case_officer",
                   {"delivery": ["post"], "agreement_sought": False})
    setup.send(case_id, "dispute_received", {"received_date": "2026-03-01", "grounds": "Unfair"})
    setup.complete(case_id, "consider_dispute", "chief_executive", {"outcome": "vary", "reasons": "Allow calls"})
    page = staff("case_officer").get(f"/tasks/{setup.task(case_id, 'set_new_terms').id}")
    assert 'value="email_only" checked' in page.text and 'value="one mailbox"' in page.text
