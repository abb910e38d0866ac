"""A case's contact details: the person's address, email, agreed way of being written to,
agreed adjustments and language needs, recorded once and used by every letter (issue #21).

Staff who can see the case may change them; each change goes on the case's record
(which fields changed and who changed them, not the values, which stay here).
The incident form may carry the address and email, so they are typed only once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...engine import clock
from ...models import Case, ContactDetails, User
from ..core import audit
from ..people.access import load_visible_case

if TYPE_CHECKING:
    from ..core.context import Context, Session

FORM = "letters/contact_details.schema.json"
FIELDS = ("postal_address", "email", "preferred_channel", "adjustments", "language_needs")
# Channels a preferred way of sending stands for.
CHANNELS = {"post": ["post"], "email": ["email"], "post_and_email": ["post", "email"]}


def of(session: Session, case_id: int) -> ContactDetails | None:
    details: ContactDetails | None = session.scalar(
        select(ContactDetails).where(ContactDetails.case_id == case_id))
    return details


def as_data(details: ContactDetails | None) -> dict[str, Any]:
    """The details as the form's fields (blank ones left out)."""
    if details is None:
        return {}
    return {name: getattr(details, name) for name in FIELDS if getattr(details, name)}


def read(ctx: Context, user: User, case_id: int) -> tuple[Case, ContactDetails | None]:
    """A case the user may see (404 otherwise) and its details; reading them is a view of the case."""
    case = load_visible_case(ctx.session, user, case_id)
    audit.record(ctx.session, user.username, "case_viewed", case_id, data={"contact_details": True})
    return case, of(ctx.session, case_id)


def update(ctx: Context, user: User, case_id: int, data: dict[str, Any]) -> ContactDetails:
    """Replace the details with ``data`` (the form's fields; a blank field clears it), audited."""
    ctx.forms.validate(FORM, data)
    load_visible_case(ctx.session, user, case_id)
    return _save(ctx.session, case_id, user.username, {name: data.get(name) for name in FIELDS})


def take_from_incident(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The incident's answers without the contact fields, and those fields (the workflow never sees them)."""
    contact = {name: data[name] for name in FIELDS if name in data}
    return {k: v for k, v in data.items() if k not in contact}, contact


def record_at_start(session: Session, case_id: int, actor: str, contact: dict[str, Any],
                    element_id: str | None = None) -> None:
    """The details told with the incident, recorded against its start event (so the case's record
    files them with the incident, not with whatever stage the case has reached by then)."""
    if any(contact.values()):
        _save(session, case_id, actor, {name: contact.get(name) for name in FIELDS}, element_id)


def default_channels(details: ContactDetails | None, both_by_default: bool) -> list[str]:
    """How a letter goes unless staff choose otherwise: the person's agreed way; else, where the
    office sends by post and email (``LETTERS_BY_POST_AND_EMAIL``, SCO 5.3), every way we have an
    address for; else post if we have the address, email if only that."""
    if details is not None and details.preferred_channel in CHANNELS:
        return list(CHANNELS[details.preferred_channel])
    known = [c for c, v in (("post", details and details.postal_address), ("email", details and details.email)) if v]
    if both_by_default:
        return known or ["post", "email"]
    return known[:1] or ["post"]


def _save(session: Session, case_id: int, actor: str, values: dict[str, Any],
          element_id: str | None = None) -> ContactDetails:
    details = of(session, case_id)
    if details is None:
        details = ContactDetails(case_id=case_id)
        session.add(details)
    cleaned = {name: (value.strip() if isinstance(value, str) else value) or None for name, value in values.items()}
    changed = sorted(name for name, value in cleaned.items() if getattr(details, name) != value)
    for name, value in cleaned.items():
        setattr(details, name, value)
    details.updated_by, details.updated_at = actor, clock.now()
    session.flush()
    audit.record(session, actor, "contact_details_changed", case_id, element_id=element_id, data={"fields": changed})
    return details
