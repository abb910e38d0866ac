"""Subject access (UK GDPR art. 15): everything held about one service user, for the DPO.

The DPO finds the person's cases (by name and/or their reference), chooses which
are theirs, and downloads one ZIP: per case its details, every answer recorded,
the contact log, the letters (the PDFs as sent, drafts as HTML), the emails, the
disclosures to partners and the audit record, as JSON files a person can read
and a machine can check. The export itself goes on each case's audit record.
The DPO needs no role on a case to do this: answering the request is their duty.
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from ...engine import clock
from ...errors import Forbidden, InvalidInput
from ...models import AuditEvent, Case, ContactDetails, ContactLogEntry, Disclosure, Letter, OutboundEmail, User
from ..core import audit
from ..core.audit import AuditAction
from ..people.permissions import Ability, can

if TYPE_CHECKING:
    from ..core.context import Session

# Drawn by the search page; either field finds cases (``find_cases`` checks one is given).
SEARCH_FORM = {
    "title": "Find the person's cases",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "service_user_name": {"type": "string", "title": "Full name", "maxLength": 300,
                              "description": "Matched in full, ignoring capitals and spaces at either end."},
        "service_user_reference": {"type": "string", "title": "Their reference", "maxLength": 200,
                                   "description": "If they have one: it finds cases recorded under another spelling."},
    },
}


def _require_dpo(user: User) -> None:
    if not can(user, Ability.DPO_WORK):
        raise Forbidden("Only the Data Protection Officer can answer a subject access request.")


def find_cases(session: Session, user: User, name: str | None, reference: str | None) -> list[Case]:
    """Cases whose person has exactly this name or this reference, oldest first."""
    _require_dpo(user)
    name, reference = (name or "").strip(), (reference or "").strip()
    if not name and not reference:
        raise InvalidInput("Enter the person's full name or their reference.",
                           {"service_user_name": ["Enter the person's full name or their reference"]})
    matches = []
    if name:
        matches.append(func.lower(Case.service_user_name) == name.lower())
    if reference:
        matches.append(func.lower(Case.service_user_reference) == reference.lower())
    return list(session.scalars(select(Case).where(or_(*matches)).order_by(Case.id)))


def export(session: Session, user: User, case_ids: list[int], note: str = "") -> tuple[str, bytes]:
    """The ZIP (file name, bytes) for the chosen cases; each case's audit record notes the export."""
    _require_dpo(user)
    cases = list(session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id))) if case_ids else []
    if not cases or len(cases) != len(set(case_ids)):
        raise InvalidInput("Choose at least one of the cases found.", {"case_ids": ["Choose the person's cases"]})
    now = clock.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(cases, user, now, note))
        for case in cases:
            audit.record(session, user.username, AuditAction.SUBJECT_ACCESS_EXPORT, case.id, data={"note": note} if note else {})
            session.flush()
            for name, content in _case_files(session, case):
                archive.writestr(f"case-{case.id}/{name}", content)
    return f"subject-access-{now:%Y%m%d-%H%M}.zip", buffer.getvalue()


def _case_files(session: Session, case: Case) -> Iterator[tuple[str, str]]:
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)))
    yield "case.json", _json({
        "case": case.id, "person": case.service_user_name, "person_reference": case.service_user_reference,
        "matter": case.matter_reference, "status": case.status, "stage": case.stage, "outcome": case.outcome,
        "opened": case.created_at, "closed": case.closed_at, "opened_by": case.created_by,
        "process": str(case.process_version)})
    yield "answers.json", _json([{"when": e.created_at, "by": e.actor, "step": e.element_id or e.action,
                                  "answers": e.data} for e in events
                                 if e.action in (AuditAction.CASE_STARTED, AuditAction.TASK_COMPLETED, AuditAction.MESSAGE_RECEIVED)])
    yield "contact-details.json", _json([_row(d, "postal_address", "email", "preferred_channel", "adjustments",
                                              "language_needs", "updated_by", "updated_at")
                                         for d in session.scalars(select(ContactDetails).where(
                                             ContactDetails.case_id == case.id))])
    yield "contact-log.json", _json([_row(c, "contact_date", "channel", "summary", "logged_by", "created_at")
                                     for c in _of(session, ContactLogEntry, case.id)])
    letters = _of(session, Letter, case.id)
    yield "letters.json", _json([_row(item, "id", "name", "title", "status", "created_at", "issued_at", "issued_by",
                                      "channels", "recipient_email", "postal_address", "sha256") for item in letters])
    for item in letters:
        if item.status == "issued" and item.pdf:
            yield f"letters/{item.id}-{item.name}.pdf", item.pdf
        else:
            yield f"letters/{item.id}-{item.name}-draft.html", item.html
    yield "emails.json", _json([_row(e, "created_at", "to_address", "subject", "body", "status", "sent_at")
                                for e in _of(session, OutboundEmail, case.id)])
    yield "disclosures.json", _json([_row(d, "shared_on", "agency", "purpose", "legal_basis", "conditions",
                                          "details_shared", "approved_by", "recorded_by")
                                     for d in _of(session, Disclosure, case.id)])
    yield "audit-record.json", _json([_row(e, "created_at", "actor", "action", "element_id", "data") for e in events])


def _of(session: Session, model: Any, case_id: int) -> list[Any]:
    return list(session.scalars(select(model).where(model.case_id == case_id).order_by(model.id)))


def _row(obj: object, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=_plain)


def _plain(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _readme(cases: list[Case], user: User, now: datetime, note: str) -> str:
    lines = [f"Subject access export made {now:%d %B %Y %H:%M} UTC by {user.display_name} ({user.username}).",
             f"Person: {', '.join(sorted({c.service_user_name for c in cases}))}", ""]
    lines += [f"case-{c.id}/: matter {c.matter_reference}, opened {c.created_at:%d %B %Y}, {c.status}" for c in cases]
    lines += ["", "Each folder holds case.json (the case), answers.json (everything recorded, in order),",
              "contact-details.json (address, email, agreed adjustments, language needs), contact-log.json,",
              "letters.json with letters/ (the PDFs exactly as sent; their SHA-256 is in",
              "letters.json), emails.json, disclosures.json (data shared with partner agencies, with the legal",
              "basis) and audit-record.json (every view of and change to the case)."]
    if note:
        lines += ["", f"Request: {note}"]
    return "\n".join(lines) + "\n"
