"""The contact log: every contact from the person, read and kept (CLE 9.10, WAR 7.2).

Contacts arrive two ways: the ``contact_received`` message (``cases.send_message``
logs it) and an entry added by hand from the case page. Either way, while the
case waits for contacts (a strategy is in force) the contact raises the review
task: every contact is still read (CLE 9.10, WAR 7.2), however it was entered.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...models import ContactLogEntry, MessageWait, User
from ..core import audit
from ..core.audit import AuditAction
from ..core.forms import validate
from ..people.access import load_visible_case
from .cases import log_contact, send_message

if TYPE_CHECKING:
    from ..core.context import Context, Session

CHANNELS = ["telephone", "email", "letter", "in_person", "social_media", "other"]
CHANNEL_NAMES = ["Telephone", "Email", "Letter", "In person", "Social media", "Other"]

# The form for an entry added by hand (the web page draws it from this schema too).
CONTACT_FORM = {
    "title": "Add a contact to the log",
    "type": "object",
    "additionalProperties": False,
    "required": ["contact_date", "channel", "summary"],
    "properties": {
        "contact_date": {"type": "string", "format": "date", "notInFuture": True, "title": "Date of the contact",
                         "description": "For example, 27 3 2026. It cannot be in the future.",
                         "x-messages": {"required": "Enter the date of the contact",
                                        "format": "Enter the date of the contact as a real date",
                                        "notInFuture": "The date of the contact cannot be in the future"}},
        "channel": {"type": "string", "title": "How did they contact us?", "enum": CHANNELS,
                    "x-enumNames": CHANNEL_NAMES, "x-messages": {"required": "Select how they contacted us"}},
        "summary": {"type": "string", "title": "Summary of the contact", "minLength": 1, "maxLength": 5000,
                    "x-widget": "textarea", "x-messages": {"required": "Enter a summary of the contact",
                                                           "minLength": "Enter a summary of the contact"}},
    },
}


def add_contact(ctx: Context, user: User, case_id: int, data: dict[str, Any]) -> ContactLogEntry | None:
    """Log a contact by hand on a case the user may see, with an audit event.

    While the case waits for ``contact_received`` the contact is delivered as that
    message instead (logged, and the review task raised); then None is returned.
    """
    case = load_visible_case(ctx.session, user, case_id)
    validate(CONTACT_FORM, data)
    summary = data["summary"].strip()
    if ctx.session.scalar(select(MessageWait.id).where(MessageWait.case_id == case.id,
                                                       MessageWait.name == REVIEWED)):
        send_message(ctx, user, case.id, REVIEWED, {**data, "summary": summary})
        return None
    entry = log_contact(ctx, case, user, data["contact_date"], data["channel"], summary)
    audit.record(ctx.session, user.username, AuditAction.CONTACT_LOGGED, case.id,
                 data={"contact_date": data["contact_date"], "channel": data["channel"], "summary": summary})
    return entry


REVIEWED = "contact_received"  # the message that raises the contact review


def contact_log(session: Session, case_id: int) -> list[ContactLogEntry]:
    """Newest contact first."""
    return list(session.scalars(select(ContactLogEntry).where(ContactLogEntry.case_id == case_id)
                                .order_by(ContactLogEntry.contact_date.desc(), ContactLogEntry.id.desc())))
