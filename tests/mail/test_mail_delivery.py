"""The worker delivers the outbox over SMTP: letters with their PDF, retries with back-off while the
server is down, gives up visibly after MAX_ATTEMPTS, and never sends one email twice."""
from __future__ import annotations

import shutil
import threading
from datetime import timedelta

import pytest

from helpers import released
from letter_support import letter_named, pdf_text
from mail_support import SmtpServer, deliver, email_row, queue_email, self_signed_tls
from service.domain.correspondence.mail_delivery import MAX_ATTEMPTS
from service.engine import clock
from service.extensions import db
from service.models import AuditEvent
from web.case_setup import CaseSetup


def audit_actions(app, case_id):
    with app.app_context():
        rows = db.session.query(AuditEvent).filter_by(case_id=case_id).order_by(AuditEvent.id).all()
        return [(e.action, e.data) for e in rows if e.action.startswith("email_")]


def test_an_issued_letter_arrives_by_email_with_its_pdf_once(app_with_smtp, smtp):
    case_id = CaseSetup(app_with_smtp).to_monitoring(delivery=("email",))  # the warning task issues it
    with app_with_smtp.app_context():
        letter = letter_named(case_id, "warning_letter")
        pdf, title = letter.pdf, letter.title
    [(email_id, outcome)] = deliver(app_with_smtp).items()
    assert outcome == "sent"
    [message] = smtp.received
    assert (message["From"], message["To"]) == ("cases@office.example.org", "sam@example.org")
    assert message["Subject"] == f"{title} (B-{case_id:06d})" and message["Auto-Submitted"] is None
    assert f"Our reference: B-{case_id:06d}" in message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"warning_letter-B-{case_id:06d}.pdf"
    assert attachment.get_content() == pdf
    row = email_row(app_with_smtp, email_id)
    assert (row.status, row.attempts, row.sent_at, row.next_attempt_at) == ("sent", 1, clock.now(), None)
    assert deliver(app_with_smtp) == {} and len(smtp.received) == 1
    [(action, data)] = audit_actions(app_with_smtp, case_id)
    assert action == "email_sent" and data["to"] == "sam@example.org" and data["email"] == email_id


def test_a_server_that_is_down_is_retried_with_back_off_until_it_answers(app_with_smtp, smtp_port):
    case_id = CaseSetup(app_with_smtp).start()
    email_id = queue_email(app_with_smtp, case_id)
    started = clock.now()
    for minutes_waited, next_wait in [(0, 1), (1, 5), (5, 15)]:  # nobody listens on the port
        clock.advance(timedelta(minutes=minutes_waited))
        assert "ConnectionRefusedError" in deliver(app_with_smtp)[email_id]
        row = email_row(app_with_smtp, email_id)
        assert row.status == "pending" and row.next_attempt_at == clock.now() + timedelta(minutes=next_wait)
        assert deliver(app_with_smtp) == {}  # not due again yet
    assert row.attempts == 3 and "Connection refused" in row.last_error
    server = SmtpServer(smtp_port).start()  # the server comes back
    try:
        clock.advance(timedelta(minutes=15))
        assert deliver(app_with_smtp) == {email_id: "sent"}
        assert [m["To"] for m in server.received] == ["sam@example.org"]
    finally:
        server.stop()
    row = email_row(app_with_smtp, email_id)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 4, started + timedelta(minutes=21))
    actions = audit_actions(app_with_smtp, case_id)
    assert [a for a, _ in actions] == ["email_failed"] * 3 + ["email_sent"]
    assert [d.get("final") for a, d in actions[:3]] == [False] * 3


def test_an_unreachable_server_ends_the_sweep_instead_of_timing_out_every_email(app_with_smtp):
    first, second = queue_email(app_with_smtp), queue_email(app_with_smtp)
    assert list(deliver(app_with_smtp)) == [first]
    assert list(deliver(app_with_smtp)) == [second]  # the first waits a minute now
    assert email_row(app_with_smtp, second).attempts == 1


def test_after_max_attempts_it_is_failed_on_the_case_and_the_outbox_and_can_be_retried(app_with_smtp, smtp_port):
    from web_support import Staff, main_text
    case_id = CaseSetup(app_with_smtp).start()
    email_id = queue_email(app_with_smtp, case_id)
    for _ in range(MAX_ATTEMPTS + 2):
        deliver(app_with_smtp)
        clock.advance(timedelta(hours=2))
    row = email_row(app_with_smtp, email_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    assert audit_actions(app_with_smtp, case_id)[-1][1]["final"] is True

    officer = Staff(app_with_smtp, "case_officer")
    page = main_text(officer.get(f"/cases/{case_id}"))
    assert "Emails" in page and "Not sent" in page and f"Could not be sent after {MAX_ATTEMPTS} tries" in page
    assert "ConnectionRefusedError" in page and "Retry now" in page
    assert f"An email to sam@example.org could not be sent after {MAX_ATTEMPTS} tries" in page  # the record
    supervisor = Staff(app_with_smtp, "supervisor")
    listed = supervisor.get("/outbox?status=failed")
    assert 'href="/outbox"' in listed.text  # in the supervisor's menu
    assert "Your letter" in main_text(listed) and "Not sent" in main_text(listed)
    assert "Your letter" not in main_text(supervisor.get("/outbox?status=sent"))

    retried = officer.post_form(f"/outbox/{email_id}/retry", {"back": "case"}, page_url=f"/cases/{case_id}")
    assert retried.status_code == 302 and retried.location.endswith(f"/cases/{case_id}#emails")
    row = email_row(app_with_smtp, email_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, clock.now())
    again = officer.post_form(f"/outbox/{email_id}/retry", {}, page_url=f"/cases/{case_id}")
    assert again.status_code == 409 and "still waiting to be sent" in again.text
    server = SmtpServer(smtp_port).start()
    try:
        assert deliver(app_with_smtp) == {email_id: "sent"}
    finally:
        server.stop()
    actions = [a for a, _ in audit_actions(app_with_smtp, case_id)]
    assert actions[-2:] == ["email_retried", "email_sent"]
    with app_with_smtp.app_context():
        retry_event = db.session.query(AuditEvent).filter_by(action="email_retried").one()
        assert retry_event.actor == "case_officer"


def test_two_workers_never_send_one_email_twice(app_with_smtp, smtp):
    ids = [queue_email(app_with_smtp, to=f"person{i}@example.org") for i in range(40)]
    outcomes = []

    def worker():
        for _ in range(5):
            outcomes.extend(deliver(app_with_smtp, limit=10).items())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(email_id for email_id, outcome in outcomes if outcome == "sent") == ids
    assert sorted(m["To"] for m in smtp.received) == sorted(f"person{i}@example.org" for i in range(40))
    assert len({m["Message-ID"] for m in smtp.received}) == 40


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a test certificate")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_a_login_as_the_settings_say(tmp_path, monkeypatch, security):
    from mail_support import free_port, mail_app
    tls, cert = self_signed_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # trust the test certificate, as an operator's CA would be
    port = free_port()
    server = SmtpServer(port, tls=tls, implicit_tls=security == "ssl", logins={"boundary": "s3cret"}).start()
    app = mail_app(tmp_path, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port, MAIL_SMTP_SECURITY=security,
                   MAIL_SMTP_USERNAME="boundary", MAIL_SMTP_PASSWORD="wrong")
    try:
        email_id = queue_email(app)
        assert "SMTPAuthenticationError" in deliver(app)[email_id] and server.received == []
        app.config["MAIL_SMTP_PASSWORD"] = "s3cret"
        clock.advance(timedelta(minutes=1))
        assert deliver(app) == {email_id: "sent"}
        assert server.authenticated == ["boundary"] and len(server.received) == 1
    finally:
        server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_letter_email_without_its_pdf_is_kept_with_the_error(app_with_smtp, smtp):
    case_id = CaseSetup(app_with_smtp).to_monitoring()
    with app_with_smtp.app_context():
        letter = letter_named(case_id, "warning_letter")
        letter.status, letter.pdf = "draft", None  # a draft (as made before tasks issued them): nothing to attach
        db.session.commit()
        letter_id = letter.id
    with app_with_smtp.app_context():
        from service.domain.core.transaction import transaction
        from service.domain.correspondence import mail
        with transaction(db.session):
            row = mail.queue(db.session, app_with_smtp.config, to="sam@example.org", subject="Letter", body="b",
                             kind="letter", case_id=case_id, letter_id=letter_id)
            db.session.flush()
            email_id = row.id
        db.session.remove()
    assert "has no issued PDF" in deliver(app_with_smtp)[email_id]
    assert smtp.received == [] and email_row(app_with_smtp, email_id).status == "pending"


def test_the_strategy_letter_email_encloses_the_policy(app_with_smtp, smtp, tmp_path):
    from process_driver import Driver
    driver = Driver(app_with_smtp.test_client())
    with app_with_smtp.app_context():
        driver.to_active_strategy()  # notified by post and email
        db.session.remove()
    deliver(app_with_smtp)
    [message] = [m for m in smtp.received if m["Subject"].startswith("How we will manage your contact")]
    letter, policy = list(message.iter_attachments())
    assert letter.get_filename().startswith("contact_strategy_letter-B-")
    assert policy.get_filename() == "policy-on-managing-contact-summary.pdf"
    assert "Our policy on managing contact" in pdf_text(policy.get_content())
    assert "policy-on-managing-contact-summary.pdf" in pdf_text(letter.get_content())  # the letter names it


def test_an_office_encloses_its_own_policy(tmp_path, smtp, smtp_port):
    from mail_support import mail_app
    from process_driver import Driver
    own = tmp_path / "our-contact-policy.pdf"
    own.write_bytes(b"%PDF-1.4 the office's own policy")
    with released(mail_app(tmp_path, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=smtp_port, POLICY_PDF=str(own)),
                  pushed=False) as app:
        with app.app_context():
            Driver(app.test_client()).to_active_strategy()
            db.session.remove()
        deliver(app)
    [message] = [m for m in smtp.received if m["Subject"].startswith("How we will manage your contact")]
    letter, policy = list(message.iter_attachments())
    assert (policy.get_filename(), policy.get_content()) == ("our-contact-policy.pdf", own.read_bytes())
    assert "our-contact-policy.pdf" in pdf_text(letter.get_content())
