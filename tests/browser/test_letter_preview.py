"""In Chromium: a letter task shows the letter as it will be sent, pre-filled from the case's contact
details, and completing it issues the letter (issue #21 items 1 and 4). Passes axe-core, no console errors."""
from __future__ import annotations

import pytest

from browser_support import clean, sign_in
from helpers import CHECKOUT, make_app
from web.case_setup import CAUSES, REVIEW, CaseSetup


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")


def test_the_warning_task_previews_its_letter_and_completing_it_issues_it(page, live_server, live_app):
    setup = CaseSetup(live_app)
    case_id = setup.start()
    setup.complete(case_id, "manager_review", "line_manager", REVIEW)
    setup.complete(case_id, "check_underlying_causes", "case_officer", CAUSES)
    sign_in(page, live_server, "case_officer")
    page.goto(f"{live_server.url}/tasks/{setup.task(case_id, 'issue_warning').id}")
    assert page.is_checked("input[name=delivery][value=post]")
    assert page.input_value("#postal_address") == "12 Elm Street\nAnytown"
    letter = page.frame_locator("iframe[title^='Preview']").locator("body")
    assert "Dear Sam Jones" in letter.inner_text() and "12 Elm Street" in letter.inner_text()
    assert "Completing this task issues this letter: by post to 12 Elm Street, Anytown" in page.inner_text("main")
    assert clean(page)

    page.fill("#behaviour_summary", "Shouting at our reception staff")
    page.check("input[name=requested_changes][value=no_abuse_tolerated]")
    page.fill("#consequences", "A contact strategy")
    page.click("button:has-text('Update the preview')")
    letter = page.frame_locator("iframe[title^='Preview']").locator("body")
    assert "Shouting at our reception staff" in letter.inner_text()
    assert page.input_value("#behaviour_summary") == "Shouting at our reception staff"  # nothing typed is lost
    assert clean(page)

    page.click("button:has-text('Complete task')")
    assert "Done: Issue a warning letter" in page.inner_text(".govuk-notification-banner")
    page.goto(f"{live_server.url}/cases/{case_id}#letters")
    assert "issued 2 March 2026 by post" in page.inner_text("main") and "Draft" not in page.inner_text("main")
