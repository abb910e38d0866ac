"""Issue #20: single sign-on in Chromium against the real provider (tests/sso/provider.mjs)."""
from playwright.sync_api import expect

from browser_support import clean
from sso_support import PASSWORD


def test_a_person_signs_in_with_their_organisation_account_and_signs_out_of_both(page, sso_server, provider):
    page.goto(f"{sso_server.url}/cases")
    expect(page.locator("h1")).to_have_text("Sign in to Boundary")
    assert clean(page)
    page.click("text=Sign in with your organisation's account")
    expect(page.locator("h1")).to_have_text("Test organisation sign-in")  # the provider's own page
    page.fill("#login", "olive")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in to the organisation')")
    expect(page.locator("h1")).to_have_text("Cases")  # back where they were going
    expect(page.locator(".boundary-nav-user")).to_contain_text("Olive Officer")
    page.click("a:has-text('Olive Officer')")
    expect(page.locator("main")).to_contain_text("You sign in with your organisation's account")
    assert clean(page)
    page.click("button:has-text('Sign out')")
    expect(page.locator("h1")).to_have_text("You have signed out of Boundary")
    assert clean(page)
    page.click("#end-provider-session")
    assert page.url.startswith(provider.issuer)  # the provider asks to confirm its own sign-out
    page.goto(f"{sso_server.url}/inbox")
    expect(page.locator("h1")).to_have_text("Sign in to Boundary")
