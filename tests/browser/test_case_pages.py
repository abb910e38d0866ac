"""In Chromium: the case pages (list, record, contact log, a message, letters), repeating items
with JavaScript, and the error pages. Each passes axe-core and logs no console errors."""
from __future__ import annotations

import pytest

from browser_support import axe_violations, clean, sign_in
from helpers import CHECKOUT, make_app
from web.case_setup import CaseSetup


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")



def test_the_case_pages_letters_and_a_message(page, live_server, live_app):
    case_id = CaseSetup(live_app).to_monitoring()
    sign_in(page, live_server, "case_officer")
    page.click("nav >> text=Cases")
    page.fill("#q", "Sam")
    page.click("button:has-text('Show cases')")
    assert "1 case" in page.inner_text("main")
    assert clean(page)
    page.click(f"a:has-text('Case B-{case_id:06d}')")
    assert "Monitoring after a warning" in page.inner_text("main")
    assert clean(page)

    page.click("text=Add a contact to the log")
    page.fill("#contact_date-day", "1")
    page.fill("#contact_date-month", "3")
    page.fill("#contact_date-year", "2026")
    page.click("button:has-text('Add to the log')")
    assert "Select how they contacted us" in page.inner_text(".govuk-error-summary")
    assert clean(page)
    page.check("input[name=channel][value=letter]")
    page.fill("#summary", "Wrote asking for a call back")
    page.click("button:has-text('Add to the log')")
    assert "Wrote asking for a call back" in page.inner_text("#contact-log + table")

    page.click("text=Warning about your contact with us")
    assert "Dear Sam Jones" in page.frame_locator("iframe").locator("body").inner_text()
    assert clean(page)
    page.click("text=Open the letter on its own page to print it")
    assert page.title() == "Warning about your contact with us"
    assert axe_violations(page) == []
    page.go_back()
    page.go_back()

    page.click("text=Log a further incident")
    assert clean(page)
    page.fill("#service_user_name", "Sam Jones")
    page.fill("#matter_reference", "M-1")
    page.fill("#incident_date-day", "2")
    page.fill("#incident_date-month", "3")
    page.fill("#incident_date-year", "2026")
    page.check("input[name=channel][value=email]")
    page.check("input[name=behaviour_types][value=threats]")
    page.fill("#description", "A threatening email")
    page.click("button:has-text('Log a further incident')")
    assert "Next on case" in page.inner_text(".govuk-notification-banner")
    assert "Propose a contact strategy" in page.inner_text("table")
    assert clean(page)


def test_restrictions_are_added_and_removed_in_place(page, live_server, live_app):
    case_id = CaseSetup(live_app).to_strategy_proposal()
    sign_in(page, live_server, "case_officer")
    page.click("a:has-text('Propose a contact strategy')")
    assert clean(page)
    assert not page.is_visible("button:has-text('Remove item 1')")  # one item cannot be removed
    page.check("#restrictions-0-type-4")  # email only
    page.fill("#restrictions-0-detail", "first")
    page.click("button:has-text('Add another item')")
    assert page.evaluate("document.activeElement.id") == "restrictions-1-type"  # no reload: focus moved on
    assert page.input_value("input[name=restrictions-count]") == "2"
    page.check("#restrictions-1-type-6")  # calls recorded
    page.fill("#restrictions-1-detail", "second")
    page.click("button:has-text('Add another item')")
    page.check("#restrictions-2-type-2")
    page.click("button:has-text('Remove item 1')")
    assert page.input_value("#restrictions-0-detail") == "second" and page.is_checked("#restrictions-0-type-6")
    assert page.inner_text("[data-repeating] h3 >> nth=1") == "Restrictions: item 2"
    assert page.is_checked("#restrictions-1-type-2")
    assert clean(page)
    for field, text in [("objective", "Keep contact manageable"), ("reason", "Abusive calls"),
                        ("proportionality", "Other steps failed"), ("fresh_matters_route", "Write to us")]:
        page.fill(f"#{field}", text)
    page.check("#adjustments_considered-no")
    page.check("#matter_status")
    page.click("button.govuk-button:has-text('Complete task')")
    assert "for an Independent Review Manager" in page.inner_text(".govuk-notification-banner")
    page.goto(f"{live_server.url}/cases/{case_id}")
    text = page.inner_text("main")
    assert "Calls recorded, second; Calls at scheduled times" in text, text


def test_error_pages_are_plain_and_accessible(page, live_server, live_app):
    task = CaseSetup(live_app)
    task_id = task.task(task.start(), "manager_review").id
    sign_in(page, live_server, "dpo")
    page.goto(f"{live_server.url}/cases/1")
    assert page.title().startswith("Page not found") and "There is no case 1 that you can see" in page.inner_text("main")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/tasks/{task_id}")
    assert "This task is for the Line Manager role" in page.inner_text("main")
    assert axe_violations(page) == []
