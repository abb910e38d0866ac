"""Email goes through the outbox: queueing writes a row in the caller's transaction, so an
email exists exactly when the change that caused it does; the worker delivers it later
(``mail_delivery``) and staff read it, or retry a failure, from the outbox (``outbox``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...engine import clock
from ...models import Letter, OutboundEmail
from .letters import reference

if TYPE_CHECKING:
    from ..core.context import Session


def queue(session: Session, settings: dict[str, Any], *, to: str, subject: str, body: str, kind: str,
          case_id: int | None = None, letter_id: int | None = None) -> OutboundEmail:
    """Add one email to the outbox: ``pending`` when an SMTP server is configured, else
    ``outbox`` (kept for the local outbox page, never sent)."""
    now = clock.now()
    email = OutboundEmail(to_address=to, subject=subject, body=body, kind=kind, case_id=case_id,
                          letter_id=letter_id, created_at=now, next_attempt_at=now, attempts=0,
                          status="pending" if settings.get("MAIL_SMTP_HOST") else "outbox")
    session.add(email)
    return email


def attachment_name(letter: Letter) -> str:
    """The PDF's file name in the email: what the letter is and the case reference to quote."""
    return f"{letter.name}-{reference(letter.case_id)}.pdf"
