"""The case page starts with the contact strategy in force and groups its record by stage,
oldest or newest first (issue #21, item 5)."""
from __future__ import annotations

import re
from datetime import timedelta

from service.engine import clock
from web.test_task_deciding import CONFIRMED, PROPOSAL


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def strategy_case(setup) -> int:
    """A strategy agreed on 2 March, then a review on 2 April that amends it (approved)."""
    case_id = setup.to_strategy_proposal()
    clock.advance(timedelta(hours=1))
    setup.complete(case_id, "propose_contact_strategy", "case_officer", PROPOSAL)
    clock.advance(timedelta(hours=1))
    setup.complete(case_id, "consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    clock.advance(timedelta(hours=1))
    setup.complete(case_id, "authorise_contact_strategy", "authorising_officer",
                   {**CONFIRMED, "decision": "approve", "comments": "Approved"})
    clock.advance(timedelta(hours=1))
    setup.complete(case_id, "notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    return case_id


def test_the_strategy_in_force_is_summarised_at_the_top(staff, setup):
    case_id = strategy_case(setup)
    page = staff("case_officer").get(f"/cases/{case_id}")
    panel = re.search(r"<div class=\"govuk-summary-card\" data-strategy>.*?</dl>\s*</div>\s*</div>", page.text, re.S)
    text = text_of(panel.group(0))
    assert text.startswith("Contact strategy in force")
    assert "Started 2 March 2026" in text and "Restrictions Email only, one mailbox" in text
    assert "How often it is reviewed Every month" in text and "Next review due 2 April 2026" in text
    assert "Changes authorised None" in text
    assert re.search(r"Letters How we will manage your contact with us : (draft, not yet issued|issued 2 March 2026)",
                     text), text
    assert page.text.index("data-strategy") < page.text.index('id="next-tasks"')  # at the top


def test_an_authorised_change_shows_in_the_panel(staff, setup):
    case_id = strategy_case(setup)
    clock.advance(timedelta(days=32))
    from service.domain.casework.timers import sweep
    from service.extensions import db
    from service.services import context
    with setup.app.app_context():
        sweep(context())
        db.session.remove()
    setup.complete(case_id, "review_contact_strategy", "case_officer", {
        "still_appropriate": False, "outcome": "amend", "changes": "Calls on Mondays only", "review_interval": "P1M"})
    setup.complete(case_id, "set_new_terms", "case_officer", {
        "restrictions": [{"type": "scheduled_calls", "detail": "Mondays"}], "change_summary": "Calls on Mondays only"})
    setup.complete(case_id, "authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "Fine"})
    text = text_of(staff("case_officer").get(f"/cases/{case_id}").text)
    assert "Changes authorised 3 April 2026: Calls on Mondays only" in text


def test_the_record_is_grouped_by_stage_oldest_or_newest_first(staff, setup):
    case_id = strategy_case(setup)
    oldest = staff("case_officer").get(f"/cases/{case_id}")
    groups = re.findall(r'<h3 class="govuk-heading-s" id="stage-\d+">([^<]+)<', oldest.text)
    assert [g.strip() for g in groups] == ["Incident recorded", "Manager review", "Contact strategy being proposed",
                                           "Contact strategy awaiting authorisation",
                                           "Telling the person about the contact strategy"]
    proposal = text_of(oldest.text.split("Contact strategy being proposed")[1].split("<h3")[0])
    assert "Completed: Propose a contact strategy" in proposal and "Completed: Consult on the proposed strategy" in proposal
    newest = staff("case_officer").get(f"/cases/{case_id}?order=newest")
    groups = [g.strip() for g in re.findall(r'<h3 class="govuk-heading-s" id="stage-\d+">([^<]+)<', newest.text)]
    assert groups[0] == "Telling the person about the contact strategy" and groups[-1] == "Incident recorded"
    assert "Show oldest first" in newest.text and "Show newest first" in oldest.text
