"""A case officer records an incident in Chromium; the line manager completes the review."""
from __future__ import annotations

import pytest

from browser_support import axe_violations, sign_in
from helpers import CHECKOUT, make_app


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")


def test_record_review_and_see_the_next_task(browser, live_server):
    officer = browser.new_context().new_page()
    errors = []
    officer.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(officer, live_server, "case_officer")
    officer.click("text=Record an incident")
    assert axe_violations(officer) == []
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
    assert "There is a problem" in officer.inner_text("main")  # the description is missing
    assert officer.input_value("#service_user_name") == "Sam Jones"
    assert axe_violations(officer) == []
    officer.fill("#description", "Shouted at the officer")
    officer.click("button:has-text('Record the incident')")
    assert "Incident recorded as case 1" in officer.inner_text("main")
    assert axe_violations(officer) == []

    manager = browser.new_context().new_page()
    sign_in(manager, live_server, "line_manager")
    assert "Discuss the incident" in manager.inner_text("main")
    assert axe_violations(manager) == []
    manager.click("a:has-text('Discuss the incident and decide what happens next')")
    assert axe_violations(manager) == []
    manager.check("#behaviour_unacceptable")
    manager.check("#welfare_support_offered")
    manager.check("input[name=decision][value=address_behaviour]")
    manager.fill("#rationale", "A pattern of abuse")
    manager.click("button:has-text('Complete task')")
    assert "Next on case 1: Check whether our own handling caused the behaviour" in manager.inner_text("main")

    officer.goto(f"{live_server.url}/cases/1")
    assert "Check whether our own handling caused the behaviour" in officer.inner_text("main")
    assert axe_violations(officer) == []
    assert errors == []
