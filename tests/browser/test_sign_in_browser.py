"""Signing in through a real browser, and the sign-in page's accessibility."""
from playwright.sync_api import expect

from browser_support import axe_violations, sign_in


def test_sign_in_page_is_accessible_and_refuses_a_wrong_password(page, live_server):
    page.goto(f"{live_server.url}/sign-in")
    assert axe_violations(page) == []
    sign_in(page, live_server, "case_officer", "wrong")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "not right" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: Sign in")
    assert page.console_errors == []
