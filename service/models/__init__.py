"""SQLAlchemy models. Engine state lives in ``Case.state``; everything the
inbox, monitoring and timers read is in indexed rows beside it."""
from .audit import AuditEvent
from .cases import LIST_LOADING, Case, ContactLogEntry, Disclosure, Letter, PurgedCase
from .contacts import ContactDetails
from .definitions import ProcessVersion
from .history import StageVisit
from .incidents import EngineIncident, TimerFailure
from .mail import OutboundEmail
from .statuses import CaseStatus, TaskStatus
from .users import ApiToken, SignInThrottle, User, UserRole, UserSession
from .work import MessageWait, TaskRecord, TimerRecord

__all__ = ["LIST_LOADING", "AuditEvent", "Case", "ContactDetails", "ContactLogEntry", "Disclosure", "Letter", "OutboundEmail",
           "PurgedCase", "StageVisit", "ProcessVersion", "ApiToken", "SignInThrottle", "User", "UserRole", "UserSession",
           "MessageWait", "TaskRecord", "TimerFailure", "TimerRecord", "EngineIncident", "CaseStatus", "TaskStatus"]
