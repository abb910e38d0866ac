"""How long cases stay in each stage, for the yearly report (SCO 7.1)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class StageVisit(db.Model):
    """One stay of a case in one stage. ``left_at`` is empty while it is still there.
    Holds no personal data, so a purged case's visits stay (unlinked) and the figures add up."""

    __tablename__ = "stage_visits"
    __table_args__ = (Index("ix_stage_visits_left", "left_at", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    stage: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
