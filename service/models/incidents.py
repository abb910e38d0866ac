from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class TimerFailure(db.Model):
    """A case whose due timers failed to fire: retried with back-off, then an incident for a supervisor."""

    __tablename__ = "timer_failures"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    is_incident: Mapped[bool] = mapped_column(default=False, index=True)


class EngineIncident(db.Model):
    """A staff action the engine could not carry out on valid input: nothing was saved.

    Written in its own transaction after the failed one rolled back, so the
    case stays exactly as it was and a supervisor sees what went wrong (the
    traceback is in the log, under the same case id).
    """

    __tablename__ = "engine_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
