from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, defer, mapped_column, relationship, selectinload

from ..extensions import db
from .definitions import ProcessVersion
from .types import UTCDateTime


class Case(db.Model):
    """One running instance of a process about one person and one matter.

    ``state`` is the engine's JSON (spec stored by reference); the other columns
    are kept in step with it on every save so lists never deserialize it.
    ``version`` guards against lost updates: a save that finds another
    transaction got there first fails and the caller answers 409.
    """

    __tablename__ = "cases"
    # ix_cases_due serves the worker's one query for due cases (status, then the earliest timer).
    __table_args__ = (Index("ix_cases_status_stage", "status", "stage"),
                      Index("ix_cases_due", "status", "next_timer_at"),
                      # lists are ordered by last change, newest first (ties by id)
                      Index("ix_cases_updated", "updated_at", "id"),
                      # an id (and the reference letters quote) is never handed out twice, even after a purge
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    stage: Mapped[str] = mapped_column(String(60), default="recorded")
    outcome: Mapped[str | None] = mapped_column(String(200))
    service_user_name: Mapped[str] = mapped_column(String(300), index=True)
    service_user_reference: Mapped[str | None] = mapped_column(String(200))
    matter_reference: Mapped[str] = mapped_column(String(200), index=True)
    created_by: Mapped[str] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(default=1)
    # Last on purpose: SQLite keeps a row's first few KB on its page and the rest in
    # overflow pages, so lists that filter or sort on the columns above never read
    # the (10-50 KB) engine state. Migration a1d1b5605844 moves it there. A table of
    # its own was tried and measured (docs/performance.md): SQLite lists at 100k up
    # to 3x faster, every completion 6-7% slower on both databases; not taken.
    state_format: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(Text)

    process_version: Mapped[ProcessVersion] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


# How lists load cases: never the engine state, and each version's BPMN files once
# (joined, they would ride along on every row of the page).
LIST_LOADING = (defer(Case.state), selectinload(Case.process_version))


class ContactLogEntry(db.Model):
    """A contact from the person: the policies ask that every one is read and kept."""

    __tablename__ = "contact_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    contact_date: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    logged_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Letter(db.Model):
    """A letter produced by a task, kept as rendered so what was sent can be shown later.

    It starts as a ``draft`` that staff preview; issuing it renders the PDF once,
    stores it with its SHA-256 (the proof of what was sent) and records who issued
    it, when, and by which channels (``post``, ``email`` or both).
    """

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    html: Mapped[str] = mapped_column(Text)
    task_id: Mapped[str | None] = mapped_column(String(36))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft")  # draft, issued
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    issued_by: Mapped[str | None] = mapped_column(String(80))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channels: Mapped[str | None] = mapped_column(String(40))  # "post", "email" or "post,email"
    recipient_email: Mapped[str | None] = mapped_column(String(320))
    postal_address: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(lazy="select")


class Disclosure(db.Model):
    """Personal data shared with a partner agency after the DPO approved it (CLE 9.15, WAR 7.1):
    what, to whom, on what legal basis and when; kept with the case and given in subject access."""

    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    agency: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(60))
    conditions: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(80))
    shared_on: Mapped[date] = mapped_column(Date)
    details_shared: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PurgedCase(db.Model):
    """What is left of a case after its retention period: no personal data, only what the
    yearly figures need (when it opened and closed, how it ended)."""

    __tablename__ = "purged_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
