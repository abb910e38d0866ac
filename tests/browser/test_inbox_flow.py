"""In Chromium: a case officer records an incident, the line manager completes the review,
the case page shows the next task. Every page passes axe-core and logs no console errors."""
from __future__ import annotations

import pytest

from browser_support import clean, sign_in
from helpers import CHECKOUT, make_app


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")


def signed_in(browser, server, username):
    """A fresh browser session for one person, collecting console errors."""
    page = browser.new_context().new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    sign_in(page, server, username)
    return page



def test_record_review_and_see_the_next_task(browser, live_server):
    officer = signed_in(browser, live_server, "case_officer")
    assert clean(officer)  # the inbox
    officer.click("text=Record an incident")
    assert clean(officer)
    officer.fill("#service_user_name", "Sam Jones")
    officer.fill("#matter_reference", "M-7")
    officer.fill("#incident_date-day", "1")
    officer.fill("#incident_date-month", "3")
    officer.fill("#incident_date-year", "2026")
    officer.check("input[name=channel][value=telephone]")
    assert not officer.is_visible("#call_end_note")  # asked only when the call was ended
    officer.check("#call_ended")
    assert officer.is_visible("#call_end_note")
    officer.check("#call_ended-no")
    assert not officer.is_visible("#call_end_note")
    officer.check("input[name=behaviour_types][value=verbal_abuse]")
    officer.click("button:has-text('Record the incident')")
    summary = officer.locator(".govuk-error-summary")
    assert "Enter what happened" in summary.inner_text()  # the description is missing
    assert officer.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert officer.input_value("#service_user_name") == "Sam Jones" and officer.is_checked("#call_ended-no")
    assert officer.title().startswith("Error: Record an incident")
    assert clean(officer)
    summary.locator("a").first.click()
    assert officer.evaluate("document.activeElement.id") == "description"
    officer.fill("#description", "Shouted at the officer")
    officer.click("button:has-text('Record the incident')")
    banner = officer.inner_text(".govuk-notification-banner")
    assert "Incident recorded as case B-000001" in banner and "Discuss the incident and decide what happens next" in banner
    assert clean(officer)  # the case page

    manager = signed_in(browser, live_server, "line_manager")
    assert "Discuss the incident and decide what happens next" in manager.inner_text("main")
    manager.click("a:has-text('Discuss the incident and decide what happens next')")
    assert "Policy: WM 4.1" in manager.inner_text("main") and "Shouted at the officer" in manager.inner_text("main")
    assert clean(manager)
    manager.click("button:has-text('Work on this task')")
    assert "You are working on this task" in manager.inner_text("main")
    manager.check("#behaviour_unacceptable")
    manager.check("#welfare_support_offered")
    manager.check("input[name=decision][value=address_behaviour]")
    manager.fill("#rationale", "A pattern of abuse")
    manager.click("button:has-text('Complete task')")
    assert ("Next on case B-000001: Check whether our own handling caused the behaviour (for a Case Officer)"
            in manager.inner_text(".govuk-notification-banner"))
    assert clean(manager)

    officer.goto(f"{live_server.url}/cases/1")
    next_tasks = officer.inner_text("table")
    assert "Check whether our own handling caused the behaviour" in next_tasks and "Case Officer" in next_tasks
    assert "Completed: Discuss the incident and decide what happens next" in officer.inner_text("main")
    assert clean(officer)
