"""Issue #20 done-when: an administrator adds a case officer, who signs in in another browser and is
signed out there the moment the administrator deactivates the account."""
from playwright.sync_api import expect

from browser_support import clean, sign_in


def test_an_administrator_adds_a_case_officer_then_deactivates_them_and_their_session_ends(browser, page, live_server):
    sign_in(page, live_server, "admin")
    page.click("a.govuk-service-navigation__link:has-text('People')")
    assert clean(page)
    page.click("text=Add a person")
    page.fill("#username", "sam.new")
    page.fill("#display_name", "Sam Newcomer")
    page.fill("#email", "sam.new@example.org")
    page.check("input[name=roles][value=case_officer]")
    page.fill("#reason", "New starter in the complaints team")
    assert clean(page)
    page.click("button:has-text('Add person')")
    expect(page.locator(".govuk-panel__title")).to_have_text("Sam Newcomer's account is ready")
    temporary = page.locator("#temporary-password").inner_text().strip()
    assert clean(page)

    other = browser.new_context()  # the newcomer's own browser
    try:
        newcomer = other.new_page()
        newcomer.console_errors = []
        newcomer.on("console", lambda msg: newcomer.console_errors.append(msg.text) if msg.type == "error" else None)
        sign_in(newcomer, live_server, "sam.new", temporary)
        expect(newcomer.locator("h1")).to_have_text("Change your password")
        newcomer.fill("#current_password", temporary)
        newcomer.fill("#new_password", "copper meadow lantern")
        newcomer.fill("#confirm_password", "copper meadow lantern")
        newcomer.click("button:has-text('Change password')")
        expect(newcomer.locator(".govuk-notification-banner")).to_contain_text("Your password is changed")
        assert clean(newcomer)
        newcomer.goto(f"{live_server.url}/inbox")
        expect(newcomer.locator("h1")).to_have_text("Your tasks")

        page.click("text=See Sam Newcomer's account")
        expect(page.locator("h1")).to_have_text("Sam Newcomer")
        assert clean(page)
        page.click("text=Deactivate account")
        page.fill("#reason", "Left after a week")
        assert clean(page)
        page.click("button:has-text('Deactivate account')")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("signed out everywhere")
        expect(page.locator(".govuk-summary-list")).to_contain_text("Deactivated")
        expect(page.locator("table")).to_contain_text("Left after a week")

        newcomer.reload()  # the very next page they open
        expect(newcomer.locator("h1")).to_have_text("Sign in to Boundary")
        sign_in(newcomer, live_server, "sam.new", "copper meadow lantern")
        expect(newcomer.locator(".govuk-error-summary")).to_contain_text("not right")
    finally:
        other.close()
