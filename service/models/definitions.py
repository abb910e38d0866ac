from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class ProcessVersion(db.Model):
    """One deployed version of a process definition: its BPMN files, kept verbatim."""

    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(300))
    number: Mapped[int]
    files: Mapped[dict] = mapped_column(JSON)  # file name -> BPMN text
    deployed_by: Mapped[str] = mapped_column(String(80))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"{self.process_id} v{self.number}"

    def file_defining(self, process_id: str) -> str | None:
        """The file defining a process or embedded sub-process (a call activity may share its id, so match the tag)."""
        tag = re.compile(r'<(?:[\w.-]+:)?(?:process|subProcess|transaction|adHocSubProcess)\b[^>]*\bid="%s"'
                         % re.escape(process_id))
        return next((name for name, text in sorted(self.files.items()) if tag.search(text)), None)
