"""The task page: documentation, case beside it, the form round trip, repeating items, override."""
from __future__ import annotations

import re

from service.models import AuditEvent, TaskRecord
from web.case_setup import REVIEW
from web_support import main_text

REVIEW_FORM = {"behaviour_unacceptable": "yes", "welfare_support_offered": "yes", "decision": "address_behaviour",
               "rationale": "A pattern"}
PROPOSAL_FORM = {"objective": "Keep contact manageable", "matter_status": "ongoing", "reason": "Abusive calls", "proportionality": "Tried else",
                 "fresh_matters_route": "Write to complaints", "review_interval": "P1M",
                 "adjustments_considered": "no", "restrictions-count": "2", "restrictions-0-type": "email_only",
                 "restrictions-0-detail": "one mailbox", "restrictions-1-type": "recorded_calls"}


def test_the_task_page_shows_what_to_do_the_policy_and_the_case(staff, setup):
    task = setup.task(setup.start(service_user_reference="SU-4", behaviour_types=["threats"]), "manager_review")
    page = staff("line_manager").get(f"/tasks/{task.id}")
    text = main_text(page)
    assert "<title>Discuss the incident and decide what happens next – Boundary</title>" in page.text
    assert "Discuss the incident with the case officer" in text
    assert "Policy: WM 4.1 , CLE 4.5 , CLE 6.5 , WAR 6 , CLE 4.6 , SCO 3.5.1" in text  # each a link to its text
    assert "Sam Jones (SU-4)" in text and "Matter M-1" in text and "Stage Manager review" in text
    assert "What behaviour was shown? Threats" in text and "Date of the incident 1 March 2026" in text
    assert "Due 7 March 2026" in text
    # the form from its JSON Schema: booleans as yes/no radios, the enum as radios with its names, a textarea
    assert 'id="behaviour_unacceptable-no"' in page.text and 'name="decision" type="radio"' in page.text
    assert "Go straight to a contact strategy (threatening or abusive contact)" in text
    assert '<textarea class="govuk-textarea" id="rationale"' in page.text


def test_wrong_role_gets_a_403_page_and_an_unknown_task_a_404(staff, setup):
    task = setup.task(setup.start(), "manager_review")
    refused = staff("case_officer").get(f"/tasks/{task.id}")
    assert refused.status_code == 403 and "This task is for the Line Manager role, which you do not hold" in main_text(refused)
    assert "You cannot do that" in main_text(refused)
    assert staff("supervisor").get(f"/tasks/{task.id}").status_code == 403  # supervisors complete no task
    assert staff("case_officer").post_form(f"/tasks/{task.id}", REVIEW_FORM, page_url="/inbox").status_code == 403
    assert staff("line_manager").get("/tasks/no-such-task").status_code == 404


def test_errors_are_summarised_linked_shown_at_each_field_and_the_input_is_kept(staff, setup):
    task = setup.task(setup.start(), "manager_review")
    page = staff("line_manager").post_form(f"/tasks/{task.id}", {"behaviour_unacceptable": "no",
                                                                 "decision": "address_behaviour"})
    assert page.status_code == 200 and "<title>Error: Discuss the incident" in page.text
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page.text, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', summary) == ["#welfare_support_offered", "#decision", "#rationale"]
    assert "If the behaviour was not unacceptable, the only decision is no further action" in summary
    assert 'id="rationale-error"' in page.text and "govuk-textarea--error" in page.text
    assert 'aria-describedby="welfare_support_offered-hint welfare_support_offered-error"' in page.text
    assert re.search(r'value="no" checked', page.text) and re.search(r'value="address_behaviour" checked', page.text)


def test_success_goes_back_to_the_inbox_naming_what_happens_next(staff, setup, query):
    case_id = setup.start(behaviour_types=["threats"])
    task = setup.task(case_id, "manager_review")
    done = staff("line_manager").post_form(f"/tasks/{task.id}", REVIEW_FORM, follow_redirects=True)
    text = main_text(done)
    assert "<title>Your tasks" in done.text
    assert (f"Done: Discuss the incident and decide what happens next. Next on case B-{case_id:06d}: "
            "Check whether our own handling caused the behaviour (for a Case Officer)") in text
    assert "Consider reporting to the police" not in text  # waiting since the incident: not new
    event = query(lambda s: s.query(AuditEvent).filter_by(action="task_completed").one())
    assert event.data == {"behaviour_unacceptable": True, "welfare_support_offered": True,
                          "decision": "address_behaviour", "rationale": "A pattern"}


def test_closing_a_case_says_so(staff, setup):
    task = setup.task(case_id := setup.start(), "manager_review")
    done = staff("line_manager").post_form(f"/tasks/{task.id}", {**REVIEW_FORM, "decision": "no_further_action"},
                                           follow_redirects=True)
    assert f"Case B-{case_id:06d} is now closed: no further action" in main_text(done)


def test_a_conditional_question_sits_under_the_answer_that_needs_it(staff, setup):
    case_id = setup.start()
    setup.complete(case_id, "manager_review", "line_manager", REVIEW)
    task = setup.task(case_id, "check_underlying_causes")
    page = staff("case_officer").get(f"/tasks/{task.id}")
    assert 'id="additional_needs_identified" name="additional_needs_identified" type="radio" value="yes" ' \
           'data-reveal="additional_needs_identified-conditional"' in page.text
    reveal = re.search(r'id="additional_needs_identified-conditional">(.*?)</div>\s*<div class="govuk-radios__item',
                       page.text, re.S).group(1)
    assert 'name="adjustments_required"' in reveal
    answered = staff("case_officer").post_form(f"/tasks/{task.id}", {"additional_needs_identified": "yes"})
    assert "Enter" in main_text(answered) and 'href="#adjustments_required"' in answered.text


def test_repeating_restrictions_add_and_remove_without_javascript_then_submit(staff, setup, query):
    task = setup.task(setup.to_strategy_proposal(), "propose_contact_strategy")
    officer = staff("case_officer")
    blank = officer.get(f"/tasks/{task.id}")
    assert 'name="restrictions-count" value="1"' in blank.text and 'value="P3M" checked' in blank.text  # default
    assert "Remove item 1" in blank.text and "hidden" in re.search(r"<button[^>]*remove:restrictions:0[^>]*>",
                                                                   blank.text).group(0)
    added = officer.post_form(f"/tasks/{task.id}", {**PROPOSAL_FORM, "action": "add:restrictions"})
    assert "There is a problem" not in added.text  # not a submission: nothing is checked yet
    assert 'name="restrictions-count" value="3"' in added.text and 'name="restrictions-2-type"' in added.text
    assert re.search(r'name="restrictions-0-detail" type="text" value="one mailbox"', added.text)
    assert 'value="Keep contact manageable"' in added.text or "Keep contact manageable</textarea>" in added.text
    removed = officer.post_form(f"/tasks/{task.id}", {**PROPOSAL_FORM, "action": "remove:restrictions:0"})
    assert 'name="restrictions-count" value="1"' in removed.text
    assert re.search(r'name="restrictions-0-type" type="radio" value="recorded_calls" checked', removed.text)
    missing = officer.post_form(f"/tasks/{task.id}", {**PROPOSAL_FORM, "restrictions-1-type": "",
                                                      "restrictions-1-detail": "no type"})
    assert 'href="#restrictions-1-type"' in missing.text
    done = officer.post_form(f"/tasks/{task.id}", PROPOSAL_FORM, follow_redirects=True)
    assert "Next on case" in main_text(done) and "(for an Independent Review Manager)" in main_text(done)
    data = query(lambda s: s.query(AuditEvent).filter_by(action="task_completed",
                                                         element_id="propose_contact_strategy").one().data)
    assert data["restrictions"] == [{"type": "email_only", "detail": "one mailbox"}, {"type": "recorded_calls"}]
    assert data["adjustments_considered"] is False and data["review_interval"] == "P1M"


def test_completing_a_task_someone_else_claimed_needs_the_override(staff, setup, query):
    task = setup.task(setup.start(), "manager_review")
    staff("line_manager").post_form(f"/tasks/{task.id}/claim", {}, page_url="/inbox")
    other = staff("all_roles")
    page = other.get(f"/tasks/{task.id}")
    assert "Demo Line Manager is working on this task" in main_text(page)
    assert "Complete it instead of Demo Line Manager" in main_text(page)
    blocked = other.post_form(f"/tasks/{task.id}", REVIEW_FORM)
    assert 'href="#override"' in blocked.text and "Tick the box to confirm" in blocked.text
    assert query(lambda s: s.get(TaskRecord, task.id).status) == "ready"
    done = other.post_form(f"/tasks/{task.id}", {**REVIEW_FORM, "override": "yes"}, follow_redirects=True)
    assert "Done: Discuss the incident" in main_text(done)
    actions = query(lambda s: [e.action for e in s.query(AuditEvent).filter_by(task_id=task.id)])
    assert actions == ["task_claimed", "task_claim_overridden", "task_completed"]
    # the claimant needs no override
    mine = setup.task(setup.start(), "manager_review")
    me = staff("line_manager")
    me.post_form(f"/tasks/{mine.id}/claim", {}, page_url="/inbox")
    assert me.post_form(f"/tasks/{mine.id}", REVIEW_FORM).status_code == 302


def test_a_done_task_shows_who_did_it_and_cannot_be_done_again(staff, setup, query):
    task = setup.task(setup.start(), "manager_review")
    manager = staff("line_manager")
    manager.post_form(f"/tasks/{task.id}", REVIEW_FORM)
    page = manager.get(f"/tasks/{task.id}")
    assert "This task is done: completed by Demo Line Manager on 2 March 2026 at 09:00" in main_text(page)
    assert 'name="rationale"' not in page.text
    again = manager.client.post(f"/tasks/{task.id}", data={**REVIEW_FORM, "csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', page.text).group(1)})
    assert again.status_code == 200
    assert query(lambda s: s.query(AuditEvent).filter_by(action="task_completed").count()) == 1


def test_the_task_page_says_why_the_proposer_cannot_endorse_their_own_strategy(staff, setup):
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "all_roles", {
        "objective": "Keep contact manageable", "matter_status": "ongoing",
        "restrictions": [{"type": "email_only", "detail": "one mailbox"}],
        "reason": "Abusive calls", "proportionality": "Tried else", "fresh_matters_route": "Write to complaints",
        "review_interval": "P1M", "adjustments_considered": False})
    task = setup.task(case_id, "consult_irm")
    page = staff("all_roles").get(f"/tasks/{task.id}")
    text = main_text(page)
    assert "You did ‘Propose a contact strategy’ on this case, so someone else must do" in text
    assert "four eyes, SCO 5.3, WAR 7" in text and "Complete task" not in text
    refused = staff("all_roles").post_form(f"/tasks/{task.id}", {"decision": "endorse", "comments": "Mine"},
                                           page_url="/inbox")
    assert refused.status_code == 403 and "four eyes" in main_text(refused)
