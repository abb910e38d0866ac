"""In Chromium: a failed letter email on the case page and the outbox, retried; the account page
with its error round trip. Every page passes axe-core with no console errors."""
from __future__ import annotations

import pytest

from browser_support import clean, sign_in
from helpers import CHECKOUT, make_app
from letter_support import letter_named
from service.extensions import db
from service.models import OutboundEmail
from web.case_setup import CaseSetup


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management",
                    MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=9)  # nothing is delivered while the page is open


def failed_letter_email(app) -> int:
    case_id = CaseSetup(app).to_monitoring(delivery=("email",))  # the warning task issues it
    with app.app_context():
        letter_named(case_id, "warning_letter")
        email = db.session.query(OutboundEmail).one()
        email.status, email.attempts, email.next_attempt_at = "failed", 8, None
        email.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
        db.session.commit()
        db.session.remove()
    return case_id


def test_a_failed_email_is_seen_and_retried(page, live_server, live_app):
    case_id = failed_letter_email(live_app)
    sign_in(page, live_server, "case_officer")
    page.goto(f"{live_server.url}/cases/{case_id}")
    assert "Could not be sent after 8 tries" in page.inner_text("#emails + table")
    assert clean(page)
    page.click("#emails + table >> text=Warning about your contact with us")
    assert "warning_letter-B-" in page.inner_text("main")
    assert clean(page)
    page.click("button:has-text('Retry now')")
    assert "will be sent again now" in page.inner_text(".govuk-notification-banner")
    assert "Waiting to send" in page.inner_text("main")
    assert clean(page)

    page.click("text=Demo Case Officer")
    page.fill("#email", "not an address")
    page.click("button:has-text('Save your settings')")
    assert "Enter an email address in the correct format" in page.inner_text(".govuk-error-summary")
    assert clean(page)
    page.fill("#email", "jo@office.example.org")
    page.check("#notify_by_email-no")
    page.click("button:has-text('Save your settings')")
    assert "Your email settings are saved." in page.inner_text(".govuk-notification-banner")
    assert clean(page)


def test_the_outbox_for_a_supervisor(page, live_server, live_app):
    failed_letter_email(live_app)
    sign_in(page, live_server, "supervisor")
    page.click("nav >> text=Outbox")
    assert "sam@example.org" in page.inner_text("main") and "Not sent" in page.inner_text("main")
    assert clean(page)
    page.select_option("#status", "sent")
    page.click("button:has-text('Show emails')")
    assert "No emails with this status." in page.inner_text("main")
    assert clean(page)
