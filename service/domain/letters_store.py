"""Letters kept on a case."""
from __future__ import annotations

from sqlalchemy import select

from ..models import Letter


def letters_of(session, case_id: int) -> list[Letter]:
    return list(session.scalars(select(Letter).where(Letter.case_id == case_id).order_by(Letter.id)))
