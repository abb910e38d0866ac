"""Letters kept on a case."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ...models import Letter

if TYPE_CHECKING:
    from ..core.context import Session


def letters_of(session: Session, case_id: int) -> list[Letter]:
    return list(session.scalars(select(Letter).where(Letter.case_id == case_id).order_by(Letter.id)))
