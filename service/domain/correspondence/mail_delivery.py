"""Delivering the outbox over SMTP: the worker's email step.

Each due email is first claimed in a short transaction (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, and on every database a conditional ``UPDATE`` that
moves its next attempt a lease ahead), so two workers never send one email.
It is then sent with no transaction open and the outcome saved: ``sent``, or
the error kept and the next attempt backed off (1, 5, 15, 60 minutes, then
hourly) until ``MAX_ATTEMPTS``, when it is ``failed`` for staff to see and
retry. A worker that dies mid-send leaves the email to be tried again once
the lease ends; its fixed Message-ID lets mail systems drop the duplicate.
Each outcome for an email about a case goes on the case's record. One bad
email never stops the sweep; a server that cannot be reached or refuses the
login ends it, so the timers are not held up behind one timeout per email.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from ...engine import clock
from ...errors import BoundaryError, Conflict
from ...models import Letter, OutboundEmail
from ..core import audit
from ..core.transaction import rowcount, transaction
from . import policy_enclosure
from .mail import attachment_name

if TYPE_CHECKING:
    from ..core.context import Context, Session

MAX_ATTEMPTS = 8
BACKOFF_MINUTES = (1, 5, 15, 60)  # after the 1st, 2nd, 3rd failure, then after each later one
LEASE = timedelta(minutes=10)  # a claimed email is not claimed again before this (a crash mid-send)
SMTP_TIMEOUT_SECONDS = 30
# Errors that say the server (not this email) is the problem: unreachable, refusing us, TLS or login.
_SERVER_PROBLEMS = (ConnectionError, TimeoutError, socket.gaierror, ssl.SSLError, smtplib.SMTPConnectError,
                    smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError)


def deliver_due(ctx: Context, limit: int = 50) -> dict[int, str]:
    """Send up to ``limit`` due emails; returns each one's outcome ('sent' or the error)."""
    if not ctx.settings.get("MAIL_SMTP_HOST"):
        return {}  # development: mail stays in the local outbox
    results: dict[int, str] = {}
    for _ in range(limit):
        try:
            email_id = _claim_next(ctx.session)
        except BoundaryError:  # SQLite: another worker was writing; try again next sweep
            break
        if email_id is None:
            break
        if email_id:  # 0: another worker claimed it first
            results[email_id], unreachable = _deliver(ctx, email_id)
            if unreachable:  # the rest would wait for the same server: they go next sweep
                break
    return results


def next_attempt_at(session: Session) -> datetime | None:
    """When the earliest pending email falls due, so the worker can wake for it."""
    return session.scalar(select(func.min(OutboundEmail.next_attempt_at)).where(OutboundEmail.status == "pending"))


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def build_message(session: Session, settings: dict[str, Any], email: OutboundEmail) -> EmailMessage:
    """The email as sent: plain text, a Message-ID fixed per outbox row, the letter's PDF attached
    (and the policy, for a letter that encloses it)."""
    sender = str(settings.get("MAIL_FROM") or "boundary@localhost")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, email.to_address, email.subject
    message["Date"] = format_datetime(clock.now())
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "boundary.invalid"
    message["Message-ID"] = f"<outbox-{email.id}.{int(email.created_at.timestamp())}@{domain}>"
    if email.kind != "letter":
        message["Auto-Submitted"] = "auto-generated"  # staff notices: no out-of-office replies
    message.set_content(email.body)
    if email.letter_id is not None:
        letter = session.get(Letter, email.letter_id)
        if letter is None or not letter.pdf:
            raise ValueError(f"letter {email.letter_id} has no issued PDF to attach")
        message.add_attachment(letter.pdf, maintype="application", subtype="pdf", filename=attachment_name(letter))
        if policy_enclosure.encloses(letter.name):  # the letter says the policy is enclosed (CLE 9.6, SCO 5.3)
            policy = policy_enclosure.enclosure(settings)
            message.add_attachment(policy.pdf, maintype="application", subtype="pdf", filename=policy.file_name)
    return message


def send(settings: dict[str, Any], message: EmailMessage) -> None:
    """Hand one message to the SMTP server, with TLS and a login as the settings say."""
    host, port = str(settings["MAIL_SMTP_HOST"]), int(settings.get("MAIL_SMTP_PORT") or 587)
    security = settings.get("MAIL_SMTP_SECURITY") or "starttls"
    smtp: smtplib.SMTP
    if security == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.get("MAIL_SMTP_USERNAME"):
            smtp.login(str(settings["MAIL_SMTP_USERNAME"]), str(settings.get("MAIL_SMTP_PASSWORD") or ""))
        smtp.send_message(message)


def _claim_next(session: Session) -> int | None:
    """The id of the next due email, now leased to this worker; None when none is due, 0 when
    another worker took it between our read and our update."""
    with transaction(session):
        now = clock.now()
        email_id = session.scalar(
            select(OutboundEmail.id).where(OutboundEmail.status == "pending", OutboundEmail.next_attempt_at <= now)
            .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id).limit(1).with_for_update(skip_locked=True))
        if email_id is None:
            return None
        claimed = session.execute(
            update(OutboundEmail).where(OutboundEmail.id == email_id, OutboundEmail.status == "pending",
                                        OutboundEmail.next_attempt_at <= now)
            .values(next_attempt_at=now + LEASE).execution_options(synchronize_session=False))
    return email_id if rowcount(claimed) == 1 else 0


def _deliver(ctx: Context, email_id: int) -> tuple[str, bool]:
    """(the outcome, whether the server itself could not be used)."""
    session = ctx.session
    try:
        with transaction(session):
            message = build_message(session, ctx.settings, session.get_one(OutboundEmail, email_id))
        send(ctx.settings, message)  # no transaction open while the server talks
    except Exception as error:  # whatever went wrong, it is kept and retried, never lost
        outcome = f"{type(error).__name__}: {error}"[:2000]
        _record(ctx, email_id, outcome)
        return outcome, isinstance(error, _SERVER_PROBLEMS)
    _record(ctx, email_id, None)
    return "sent", False


def _record(ctx: Context, email_id: int, error: str | None) -> None:
    """Save the outcome. It must not be lost (a sent email left leased would be sent again), so a
    write that loses to another worker's (SQLite allows one writer) is tried again."""
    for pause in (0.05, 0.2, 0.5, 1.0, None):
        try:
            return _save_outcome(ctx.session, email_id, error)
        except Conflict:
            if pause is None:
                raise
            time.sleep(pause)


def _save_outcome(session: Session, email_id: int, error: str | None) -> None:
    with transaction(session):
        email = session.get(OutboundEmail, email_id)
        if email is None:  # the case was purged meanwhile, and its emails with it
            return
        email.attempts += 1
        data = {"email": email.id, "to": email.to_address, "subject": email.subject, "attempt": email.attempts}
        if error is None:
            email.status, email.sent_at, email.next_attempt_at = "sent", clock.now(), None
        else:
            email.last_error = error
            final = email.attempts >= MAX_ATTEMPTS
            email.status = "failed" if final else "pending"
            email.next_attempt_at = None if final else clock.now() + backoff(email.attempts)
            data.update(error=error, final=final)
        if email.case_id is not None:
            audit.record(session, "worker", "email_sent" if error is None else "email_failed", email.case_id,
                         data=data)
