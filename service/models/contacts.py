from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class ContactDetails(db.Model):
    """How to reach the person a case is about, recorded once and used by every letter.

    Kept beside the case, not in the engine's data: it changes (people move) without
    the process moving, and a letter reads the current details when it is issued.
    """

    __tablename__ = "case_contact_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    postal_address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    preferred_channel: Mapped[str | None] = mapped_column(String(20))  # post, email or post_and_email
    adjustments: Mapped[str | None] = mapped_column(Text)  # agreed reasonable adjustments, e.g. large print
    language_needs: Mapped[str | None] = mapped_column(Text)  # language or interpreter need (CLE 8.6, WAR 5c)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
