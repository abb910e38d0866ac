"""The statuses a task row and a case row can have. The columns hold the strings; a member
compares equal to its string, so queries and templates read the same either way."""
from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # the process moved on without it (another branch, the case closed)


class CaseStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # by a supervisor: tasks wait, messages are held
    CLOSED = "closed"  # the process reached an end
    TERMINATED = "terminated"  # stopped by a supervisor
