"""Disclosure records: what personal data went to which partner agency, on what legal basis.

A user task with the property ``recordsDisclosure`` (``record_partner_sharing`` in the
shipped diagrams) writes one when it completes, from the request's payload (``agency``,
``purpose``; the message variable ``sharing_request`` or top-level fields), the DPO's decision (``legal_basis``, ``conditions``) and its own answers
(``shared_on``, ``details_shared``). The record is given to the person on a subject
access request: they have a right to know who received their data.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...engine import clock
from ...models import Case, Disclosure, TaskRecord, TaskStatus

if TYPE_CHECKING:
    from ..core.context import Session

APPROVING_TASK = "dpo_consultation"
REQUEST_VARIABLE = "sharing_request"  # the partner_sharing_requested message's variable


def records_disclosure(properties: dict[str, Any]) -> bool:
    return str(properties.get("recordsDisclosure", "")).lower() == "true"


def record(session: Session, case: Case, data: dict[str, Any], actor: str) -> Disclosure:
    approver = session.scalar(select(TaskRecord.completed_by).where(
        TaskRecord.case_id == case.id, TaskRecord.element_id == APPROVING_TASK, TaskRecord.status == TaskStatus.COMPLETED)
        .order_by(TaskRecord.completed_at.desc()).limit(1))
    shared_on = data.get("shared_on")
    request = data.get(REQUEST_VARIABLE)
    request = request if isinstance(request, dict) else {}
    data = {**request, **data}
    disclosure = Disclosure(
        case_id=case.id, agency=str(data.get("agency") or "not recorded"), purpose=str(data.get("purpose") or ""),
        legal_basis=str(data.get("legal_basis") or "not recorded"), conditions=data.get("conditions") or None,
        approved_by=approver, shared_on=date.fromisoformat(shared_on) if shared_on else clock.now().date(),
        details_shared=str(data.get("details_shared") or ""), recorded_by=actor, created_at=clock.now())
    session.add(disclosure)
    return disclosure


def of_case(session: Session, case_id: int) -> list[Disclosure]:
    return list(session.scalars(select(Disclosure).where(Disclosure.case_id == case_id).order_by(Disclosure.id)))


def register(session: Session, limit: int = 500) -> list[Disclosure]:
    """Every disclosure, newest first: the DPO's register of sharing."""
    return list(session.scalars(select(Disclosure).order_by(Disclosure.shared_on.desc(), Disclosure.id.desc())
                                .limit(limit)))
