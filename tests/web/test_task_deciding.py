"""Reviewers see what they review: each task's "What you are deciding" (the diagram's ``shows``),
the further incident beside the form, and a proposal sent back for revision pre-filled (issue #21)."""
from __future__ import annotations

import re

from web.case_setup import REVIEW
from web_support import main_text

PROPOSAL = {"objective": "Keep contact manageable", "matter_status": "ongoing", "restrictions": [{"type": "email_only", "detail": "one mailbox"}],
            "reason": "Abusive calls", "proportionality": "Tried else", "fresh_matters_route": "Write to complaints",
            "review_interval": "P1M", "adjustments_considered": False}
CONFIRMED = {k: True for k in ["matter_properly_considered", "communication_adequate",
                               "access_requirements_considered", "misunderstandings_addressed",
                               "fair_reasonable_proportionate"]}
FURTHER = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date": "2026-02-20",
           "channel": "email", "behaviour_types": ["threats"], "description": "Threatened to wait outside"}


def deciding(page) -> str:
    found = re.search(r"<section[^>]*data-deciding.*?</section>", page.text, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def active_strategy(setup) -> int:
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    setup.complete(case_id, "consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    setup.complete(case_id, "authorise_contact_strategy", "authorising_officer",
                   {**CONFIRMED, "decision": "approve", "comments": "Approved"})
    setup.complete(case_id, "notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    return case_id


def test_the_irm_sees_the_proposed_strategy_in_the_words_of_its_form(staff, setup):
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    page = staff("independent_review_manager").get(f"/tasks/{setup.task(case_id, 'consult_irm').id}")
    text = deciding(page)
    assert text.startswith("What you are deciding Propose a contact strategy")
    assert "What the strategy must achieve Keep contact manageable" in text
    assert "Restrictions Email only, one mailbox" in text
    assert "How often it is reviewed Every month" in text
    assert "Have reasonable adjustments been considered? No" in text
    # open, above the form: not folded away in a details element
    assert page.text.index("data-deciding") < page.text.index('name="decision"')
    assert "<details" not in re.search(r"<section[^>]*data-deciding.*?</section>", page.text, re.S).group(0)


def test_the_authorising_officer_sees_the_proposal_and_the_irms_comments(staff, setup):
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    setup.complete(case_id, "consult_irm", "independent_review_manager",
                   {"decision": "endorse", "comments": "Proportionate given the calls"})
    page = staff("authorising_officer").get(f"/tasks/{setup.task(case_id, 'authorise_contact_strategy').id}")
    text = deciding(page)
    assert "Reason for the strategy Abusive calls" in text
    assert "Consult on the proposed strategy Comments Proportionate given the calls" in text


def test_reading_a_contact_shows_the_contact_and_the_restrictions_in_force(staff, setup):
    case_id = active_strategy(setup)
    setup.send(case_id, "contact_received", {"contact_date": "2026-02-27", "channel": "telephone",
                                             "summary": "Rang six times about the same matter"})
    page = staff("case_officer").get(f"/tasks/{setup.task(case_id, 'review_incoming_contact').id}")
    text = deciding(page)
    assert "Rang six times about the same matter" in text and "27 February 2026" in text
    assert "Restrictions Email only, one mailbox" in text


def test_the_chief_executive_sees_the_grounds_of_the_dispute(staff, setup):
    case_id = active_strategy(setup)
    setup.send(case_id, "dispute_received", {"received_date": "2026-02-28",
                                             "grounds": "The restriction stops me reporting repairs"})
    page = staff("chief_executive").get(f"/tasks/{setup.task(case_id, 'consider_dispute').id}")
    text = deciding(page)
    assert "The restriction stops me reporting repairs" in text
    assert "Restrictions Email only, one mailbox" in text


def test_the_side_panel_shows_the_further_incident_that_led_to_the_proposal(staff, setup):
    case_id = setup.to_monitoring()
    setup.send(case_id, "further_incident", FURTHER)
    page = staff("case_officer").get(f"/tasks/{setup.task(case_id, 'propose_contact_strategy').id}")
    panel = " ".join(re.sub(r"<[^>]+>", " ", re.search(r"<aside.*?</aside>", page.text, re.S).group(0)).split())
    assert "The further incident" in panel and "Threatened to wait outside" in panel and "20 February 2026" in panel
    assert "Shouted" in panel  # the first incident stays


def test_asking_for_revisions_prefills_the_proposal_under_the_irms_comments(staff, setup):
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    setup.complete(case_id, "consult_irm", "independent_review_manager",
                   {"decision": "revise", "comments": "Say why email only is proportionate"})
    page = staff("case_officer").get(f"/tasks/{setup.task(case_id, 'propose_contact_strategy').id}")
    assert "Comments Say why email only is proportionate" in deciding(page)
    assert page.text.index("Say why email only") < page.text.index('name="objective"')
    assert re.search(r'<textarea[^>]*id="objective"[^>]*>\s*Keep contact manageable', page.text)
    assert re.search(r'value="email_only"[^>]*selected|selected[^>]*value="email_only"|value="email_only" checked',
                     page.text)
    assert 'value="one mailbox"' in page.text and re.search(r'value="P1M"\s+checked', page.text)


def test_a_first_proposal_starts_blank_with_nothing_to_decide_from_earlier(staff, setup):
    page = staff("case_officer").get(f"/tasks/{setup.task(setup.to_strategy_proposal(), 'propose_contact_strategy').id}")
    assert "Comments" not in deciding(page)
    assert re.search(r'<textarea[^>]*id="objective"[^>]*>\s*</textarea>', page.text)


def test_a_task_without_shows_has_no_section(staff, setup):
    page = staff("line_manager").get(f"/tasks/{setup.task(setup.start(), 'manager_review').id}")
    assert "data-deciding" not in page.text and "What you are deciding" not in main_text(page)
    assert REVIEW  # the shared answers stay importable for neighbours
