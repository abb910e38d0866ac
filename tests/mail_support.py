"""Mail test helpers: a real SMTP server on loopback (aiosmtpd), an app on the shipped workflows
that mails through it, and one-call delivery, announcement and outbox reads."""
from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from helpers import shipped_app
from service.domain.core.transaction import transaction
from service.domain.correspondence import mail
from service.domain.correspondence.mail_delivery import deliver_due
from service.domain.correspondence.notifications import announce_new_tasks
from service.extensions import db
from service.models import OutboundEmail
from service.services import context

MAIL_SETTINGS = {"MAIL_SMTP_SECURITY": "none", "MAIL_FROM": "cases@office.example.org",
                 "BASE_URL": "https://boundary.example.org/"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1:``port``, keeping every message it accepts; start and stop it at will
    to play a mail server that is down and comes back."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None, implicit_tls: bool = False,
                 logins: dict[str, str] | None = None):
        self.port, self.tls, self.implicit_tls, self.logins = port, tls, implicit_tls, logins
        self.received: list[email.message.EmailMessage] = []
        self.authenticated: list[str] = []
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        ok = self.logins is not None and self.logins.get(login) == password
        if ok:
            self.authenticated.append(login)
        return AuthResult(success=ok, handled=False)  # the server answers 235 or 535 itself

    def start(self) -> SmtpServer:
        options = {}
        if self.logins is not None:  # aiosmtpd only counts STARTTLS as TLS, so over implicit TLS it may not insist
            options.update(authenticator=self._authenticate, auth_required=not self.implicit_tls,
                           auth_require_tls=not self.implicit_tls)
        if self.tls and not self.implicit_tls:
            options.update(tls_context=self.tls, require_starttls=True)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, server_hostname="mail.test",
                                      ssl_context=self.tls if self.implicit_tls else None, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def self_signed_tls(folder) -> tuple[ssl.SSLContext, str]:
    """A server TLS context with a certificate for 127.0.0.1, and the certificate's file (to trust it)."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context, str(cert)


def mail_app(tmp_path, **settings):
    return shipped_app(tmp_path, **{**MAIL_SETTINGS, **settings})


def deliver(app, **kw) -> dict:
    """One delivery sweep, as the worker runs it."""
    with app.app_context():
        try:
            return deliver_due(context(), **kw)
        finally:
            db.session.remove()


def announce(app) -> int:
    with app.app_context():
        try:
            return announce_new_tasks(context())
        finally:
            db.session.remove()


def queue_email(app, case_id: int | None = None, to: str = "sam@example.org", subject: str = "Your letter") -> int:
    with app.app_context():
        with transaction(db.session):
            row = mail.queue(db.session, app.config, to=to, subject=subject, body="Please read the letter.\n",
                             kind="letter", case_id=case_id)
            db.session.flush()
            email_id = row.id
        db.session.remove()
    return email_id


def email_row(app, email_id: int) -> OutboundEmail:
    with app.app_context():
        row = db.session.get(OutboundEmail, email_id)
        db.session.expunge(row)
        db.session.remove()
    return row
