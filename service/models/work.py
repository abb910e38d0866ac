"""Indexed rows derived from engine state: what the inbox, timers and messages read."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class TaskRecord(db.Model):
    """A human task, kept after completion so need-to-know can see who held a role on a case."""

    __tablename__ = "tasks"
    # The inbox reads ready tasks of some roles, due soonest first (no due date last).
    __table_args__ = (Index("ix_tasks_status_role", "status", "role", "created_at"),
                      Index("ix_tasks_inbox", "status", "role", "due_at", "created_at", "id"),
                      # the dashboard's count of cases waiting at each element, from the index alone
                      Index("ix_tasks_status_element", "status", "element_id"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="ready")  # ready, completed, cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    completed_by: Mapped[str | None] = mapped_column(String(80))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once the worker has emailed the role's holders that the task arrived.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class TimerRecord(db.Model):
    __tablename__ = "timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class MessageWait(db.Model):
    __tablename__ = "message_waits"
    __table_args__ = (Index("ix_message_waits_case_name", "case_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
