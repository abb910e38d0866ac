from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime

# The opening tag of anything a version's specs are keyed by, capturing its id.
_DEFINES = re.compile(r'<(?:[\w.-]+:)?(?:process|subProcess|transaction|adHocSubProcess)\b[^>]*?\bid="([^"]+)"')


class ProcessVersion(db.Model):
    """One deployed version of a process definition: its BPMN files, kept verbatim."""

    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(300))
    number: Mapped[int]
    # file name -> BPMN text. Deferred: every case load joins its version, and the
    # files (120 KB for the shipped process) are needed only to parse a version once
    # per worker (BundleCache) and by the modeller; lists of versions undefer them.
    files: Mapped[dict] = mapped_column(JSON, deferred=True)
    deployed_by: Mapped[str] = mapped_column(String(80))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"{self.process_id} v{self.number}"

    def files_defining(self) -> dict[str, str]:
        """Each process and embedded sub-process id, with the file that defines it. Matched by tag:
        a call activity may share the id of the process it calls."""
        found: dict[str, str] = {}
        for name, text in sorted(self.files.items()):
            for process_id in _DEFINES.findall(text):
                found.setdefault(process_id, name)
        return found

    def file_defining(self, process_id: str) -> str | None:
        return self.files_defining().get(process_id)
