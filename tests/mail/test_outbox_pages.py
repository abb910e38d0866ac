"""With no SMTP server (development) email stays in the outbox, read on /outbox: supervisors and
the DPO see all of it, other staff their own email and email about cases they may see."""
from __future__ import annotations

import pytest

from letter_support import letter_named
from mail_support import announce
from service.domain.correspondence.mail_delivery import deliver_due
from service.extensions import db
from service.models import AuditEvent, OutboundEmail
from service.services import context
from web.case_setup import CaseSetup
from web_support import Staff, main_text


@pytest.fixture
def letter_email(app):
    """A case with its warning letter issued by email, and a task email to the line managers."""
    case_id = CaseSetup(app).to_monitoring(delivery=("email",))  # the warning task issues it
    with app.app_context():
        letter = letter_named(case_id, "warning_letter")
        email = db.session.query(OutboundEmail).filter_by(letter_id=letter.id).one()
        ids = case_id, email.id, letter.pdf
        db.session.remove()
    return ids


def test_without_a_server_mail_is_kept_in_the_outbox_and_never_sent(app, letter_email):
    case_id, email_id, pdf = letter_email
    with app.app_context():
        assert deliver_due(context()) == {}
        assert db.session.get(OutboundEmail, email_id).status == "outbox"
    officer = Staff(app, "case_officer")
    listed = main_text(officer.get("/outbox"))
    assert "No mail server is set up" in listed and "Warning about your contact with us" in listed
    assert "sam@example.org" in listed and "Kept here (not sent)" in listed
    assert 'href="/outbox"' not in officer.get("/inbox").text.split("<main")[0]  # not in a case officer's menu
    case_page = main_text(officer.get(f"/cases/{case_id}"))
    assert "Emails" in case_page and "Kept here (not sent)" in case_page and "Retry now" not in case_page

    page = officer.get(f"/outbox/{email_id}")
    text = main_text(page)
    assert f"Our reference: B-{case_id:06d}" in text and f"warning_letter-B-{case_id:06d}.pdf" in text
    attachment = officer.get(f"/outbox/{email_id}/attachment.pdf")
    assert attachment.status_code == 200 and attachment.mimetype == "application/pdf" and attachment.data == pdf
    assert f'filename="warning_letter-B-{case_id:06d}.pdf"' in attachment.headers["Content-Disposition"]
    with app.app_context():
        seen = [(e.action, e.data.get("email")) for e in db.session.query(AuditEvent).filter_by(actor="case_officer")
                .filter(AuditEvent.action.in_(["case_viewed", "letter_viewed"]))]
    assert ("case_viewed", email_id) in seen and ("letter_viewed", email_id) in seen


def test_staff_see_their_own_email_and_email_about_cases_they_may_see(app, letter_email):
    case_id, letter_email_id, _ = letter_email
    CaseSetup(app).start()  # a new manager review: task emails to the line managers
    announce(app)
    with app.app_context():
        task_email_id = db.session.query(OutboundEmail.id).filter_by(to_address="line_manager@example.org").scalar()
    outsider = Staff(app, "equality_adviser")  # no role on the case, no email to them
    assert "No emails" in main_text(outsider.get("/outbox"))
    for url in (f"/outbox/{letter_email_id}", f"/outbox/{letter_email_id}/attachment.pdf", f"/outbox/{task_email_id}"):
        assert outsider.get(url).status_code == 404, url
    manager = Staff(app, "line_manager")  # held the case's manager review, and gets task emails
    listed = main_text(manager.get("/outbox"))
    assert "sam@example.org" in listed and "line_manager@example.org" in listed
    assert "all_roles@example.org" not in listed  # a colleague's task email is not about a case: theirs only
    assert manager.get(f"/outbox/{task_email_id}").status_code == 200
    assert Staff(app, "case_officer").get(f"/outbox/{task_email_id}").status_code == 404
    for overseer in ("supervisor", "dpo"):
        staff = Staff(app, overseer)
        assert 'href="/outbox"' in staff.get("/inbox").text  # in their menu
        everything = main_text(staff.get("/outbox"))
        assert "sam@example.org" in everything and "all_roles@example.org" in everything
    refused = manager.post_form(f"/outbox/{letter_email_id}/retry", {}, page_url=f"/outbox/{letter_email_id}")
    assert refused.status_code == 409 and "no mail server is set up" in refused.text
