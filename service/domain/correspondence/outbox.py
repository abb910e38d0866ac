"""Who may read which email, for the outbox page and the case page.

Supervisors and the DPO see every email (in production the outbox is where
failures are found). Other staff see the emails sent to their own address and
those about cases they may see (need to know, ``access``); anything else is
"not found", like a case. Reading an email about a case, or its attachment,
goes on the case's record like reading the letter itself; so does asking for a
failed email to be sent again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, exists, false, func, or_, select, true

from ...engine import clock
from ...errors import Conflict, NotFound
from ...models import Case, Letter, OutboundEmail, User
from ..core import audit
from ..core.audit import AuditAction
from ..people import access
from ..people.permissions import Ability, can
from .mail import attachment_name

if TYPE_CHECKING:
    from ..core.context import Session

STATUSES = ("pending", "sent", "failed", "outbox")
_STATE = {"sent": "sent already", "pending": "still waiting to be sent",
          "outbox": "kept in the local outbox (no mail server is set up)"}


@dataclass
class OutboxFilters:
    status: str | None = None
    page: int = 1
    per_page: int = 50


def visible_filter(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``OutboundEmail`` selecting the emails ``user`` may read."""
    if can(user, Ability.READ_ALL_EMAIL):
        return true()
    own = func.lower(OutboundEmail.to_address) == user.email.strip().lower() if user.email else false()
    about_visible_case = exists(select(Case.id).where(Case.id == OutboundEmail.case_id, access.visible_filter(user)))
    return or_(own, about_visible_case)


def emails(session: Session, user: User, filters: OutboxFilters) -> tuple[list[OutboundEmail], int]:
    """(the page of emails, how many in all), newest first."""
    query = select(OutboundEmail).where(visible_filter(user))
    if filters.status in STATUSES:
        query = query.where(OutboundEmail.status == filters.status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
                           .offset((filters.page - 1) * filters.per_page).limit(filters.per_page))
    return list(rows), total


def find(session: Session, user: User, email_id: int) -> OutboundEmail:
    email: OutboundEmail | None = session.scalar(
        select(OutboundEmail).where(OutboundEmail.id == email_id, visible_filter(user)))
    if email is None:
        raise NotFound(f"There is no email {email_id} that you can see.")
    return email


def view(session: Session, user: User, email_id: int) -> tuple[OutboundEmail, str | None]:
    """The email and its attachment's file name (None without one); reading it is a view of its case."""
    email = find(session, user, email_id)
    if email.case_id is not None:
        audit.record(session, user.username, AuditAction.CASE_VIEWED, email.case_id, data={"email": email.id})
    letter = session.get(Letter, email.letter_id) if email.letter_id else None
    return email, attachment_name(letter) if letter else None


def attachment(session: Session, user: User, email_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of the letter attached to an email; audited like reading the letter's PDF."""
    email = find(session, user, email_id)
    letter = session.get(Letter, email.letter_id) if email.letter_id else None
    if letter is None or not letter.pdf:
        raise NotFound(f"Email {email_id} has no attachment.")
    audit.record(session, user.username, AuditAction.LETTER_VIEWED, email.case_id,
                 data={"letter": letter.id, "status": letter.status, "email": email.id})
    return attachment_name(letter), letter.pdf


def retry(session: Session, user: User, email_id: int) -> OutboundEmail:
    """Send a failed email back to the worker now, with a fresh series of attempts (in the
    caller's transaction); on the case's record when it is about a case."""
    email = find(session, user, email_id)
    if email.status != "failed":
        raise Conflict(f"Only an email that could not be sent can be retried; this one is {_STATE[email.status]}.")
    email.status, email.attempts, email.next_attempt_at = "pending", 0, clock.now()
    audit.record(session, user.username, AuditAction.EMAIL_RETRIED, email.case_id,
                 data={"email": email.id, "to": email.to_address, "subject": email.subject})
    return email


def of_case(session: Session, case_id: int) -> list[OutboundEmail]:
    """A case's emails, oldest first (the caller has checked the case may be seen)."""
    return list(session.scalars(select(OutboundEmail).where(OutboundEmail.case_id == case_id)
                                .order_by(OutboundEmail.id)))
