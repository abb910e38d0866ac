"""Issuing a letter: staff preview the draft, then issue it once.

Issuing dates the letter, prints the recipient's address on it, renders the
PDF, keeps the PDF with its SHA-256 (so a copy anyone produces later can be
checked against what was sent) and records who issued it, when and by which
channels. Email goes through the outbox in the same transaction, so a letter
is never marked as emailed without an email waiting to be delivered.
"""
from __future__ import annotations

import html as html_escape
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from ...engine import clock
from ...errors import Conflict, NotFound
from ...models import AuditEvent, Letter, TaskRecord, User
from ..core import audit
from ..core.audit import AuditAction
from ..core.transaction import rowcount
from ..people.access import load_visible_case
from . import contact_details, mail
from .letter_pdf import render_pdf, sha256
from .letters import office, reference

if TYPE_CHECKING:
    from ..core.context import Context

ISSUE_FORM = "letters/issue_letter.schema.json"
_RECIPIENT = re.compile(r'(<address class="recipient" data-field="recipient">)(.*?)(</address>)', re.S)
_DATE = re.compile(r'<time data-field="date" datetime="[^"]*">.*?</time>')


def find(ctx: Context, user: User, case_id: int, letter_id: int) -> Letter:
    """A letter of a case the user may see (404 otherwise); ``letter.case`` is loaded."""
    load_visible_case(ctx.session, user, case_id)
    letter: Letter | None = ctx.session.scalar(select(Letter).where(Letter.id == letter_id, Letter.case_id == case_id))
    if letter is None:
        raise NotFound(f"Case {case_id} has no letter {letter_id}.")
    return letter


def view(ctx: Context, user: User, case_id: int, letter_id: int) -> Letter:
    """Reading a letter is a view of the case: it goes on the record."""
    letter = find(ctx, user, case_id, letter_id)
    audit.record(ctx.session, user.username, AuditAction.CASE_VIEWED, case_id, data={"letter": letter.id})
    return letter


def pdf_of(ctx: Context, user: User, case_id: int, letter_id: int) -> tuple[Letter, bytes]:
    """The PDF as sent, or for a draft a preview drawn now (nothing is stored). Audited as a view."""
    letter = find(ctx, user, case_id, letter_id)
    audit.record(ctx.session, user.username, AuditAction.LETTER_VIEWED, case_id, data={"letter": letter.id, "status": letter.status})
    return letter, (letter.pdf if letter.status == "issued" and letter.pdf else render_pdf(letter.html))


def issue_defaults(ctx: Context, letter: Letter) -> dict[str, Any]:
    """Channels as chosen on the task that produced the letter (its ``delivery`` field), else the way the
    person agreed; addresses from the case's contact details. For drafts made before tasks issued letters."""
    event = ctx.session.scalar(select(AuditEvent).where(
        AuditEvent.case_id == letter.case_id, AuditEvent.task_id == letter.task_id,
        AuditEvent.action == AuditAction.TASK_COMPLETED).limit(1)) if letter.task_id else None
    delivery = (event.data or {}).get("delivery") if event else None
    details = contact_details.of(ctx.session, letter.case_id)
    return {"channels": list(delivery) if delivery else contact_details.default_channels(
        details, bool(ctx.settings.get("LETTERS_BY_POST_AND_EMAIL"))),
        **{name: getattr(details, name) for name in ("postal_address", "email") if details and getattr(details, name)}}


def issue(ctx: Context, user: User, case_id: int, letter_id: int, data: dict[str, Any]) -> Letter:
    """Issue a draft (``data`` as checked by ``ISSUE_FORM``); 409 if it was issued already."""
    ctx.forms.validate(ISSUE_FORM, data)
    letter = find(ctx, user, case_id, letter_id)
    element_id = ctx.session.scalar(select(TaskRecord.element_id).where(TaskRecord.id == letter.task_id)) \
        if letter.task_id else None
    return issue_letter(ctx, user, letter, data, element_id=element_id)


def issue_letter(ctx: Context, user: User, letter: Letter, data: dict[str, Any],
                 element_id: str | None = None) -> Letter:
    """Issue ``letter`` (a draft of a case the caller has checked ``user`` may act on) as ``data`` says."""
    case_id = letter.case_id
    if letter.status != "draft":
        raise Conflict(f"This letter was already issued by {letter.issued_by} on {letter.issued_at:%d %B %Y}. "
                       "Nothing was changed.")
    channels = [c for c in ("post", "email") if c in data["channels"]]
    now = clock.now()
    final_html = dated(addressed(letter.html, data.get("postal_address") if "post" in channels else None), now.date())
    pdf = render_pdf(final_html)
    changed = ctx.session.execute(update(Letter).where(Letter.id == letter.id, Letter.status == "draft").values(
        status="issued", html=final_html, pdf=pdf, sha256=sha256(pdf), issued_by=user.username, issued_at=now,
        channels=",".join(channels), recipient_email=data.get("email") if "email" in channels else None,
        postal_address=data.get("postal_address") if "post" in channels else None))
    if rowcount(changed) != 1:  # issued by someone else since we read it
        raise Conflict("Someone else issued this letter at the same moment. Nothing was changed.")
    ctx.session.refresh(letter)
    audit.record(ctx.session, user.username, AuditAction.LETTER_ISSUED, case_id, task_id=letter.task_id,
                 element_id=element_id,
                 data={"letter": letter.id, "name": letter.name, "channels": channels, "sha256": letter.sha256})
    if "email" in channels:
        _queue_email(ctx, letter)
    return letter


def matching(ctx: Context, pdf: bytes) -> Letter | None:
    """The issued letter this PDF is a byte-for-byte copy of, if any (for proving what was sent)."""
    return ctx.session.scalar(select(Letter).where(Letter.sha256 == sha256(pdf), Letter.status == "issued"))


def addressed(letter_html: str, postal_address: str | None) -> str:
    """The letter with the recipient's address under their name (escaped; one line per line)."""
    if not postal_address:
        return letter_html
    lines = "\n".join(html_escape.escape(line.strip()) for line in postal_address.splitlines() if line.strip())
    return _RECIPIENT.sub(lambda m: f"{m.group(1)}{m.group(2)}\n{lines}{m.group(3)}", letter_html, count=1)


def dated(letter_html: str, day: date) -> str:
    """The letter dated the day it is issued, not the day the draft was made."""
    text = f"{day.day} {day:%B %Y}"
    return _DATE.sub(f'<time data-field="date" datetime="{day.isoformat()}">{text}</time>', letter_html, count=1)


def _queue_email(ctx: Context, letter: Letter) -> None:
    sender = office(ctx.settings).name
    body = (f"Please find attached a letter from {sender}: {letter.title}.\n\n"
            f"Our reference: {reference(letter.case_id)}. Please quote it if you reply.\n")
    mail.queue(ctx.session, ctx.settings, to=letter.recipient_email or "", subject=f"{letter.title} ({reference(letter.case_id)})",
               body=body, kind="letter", case_id=letter.case_id, letter_id=letter.id)
