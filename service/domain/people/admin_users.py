"""What an administrator does to people's accounts: create, change, deactivate, reactivate, reset a password.

Only holders of ``ADMIN_ROLE`` may (``require_admin``, the one place the
ability is checked). Every change goes on the audit record with who made it
and the reason they gave (``audit.required_reason``); the records carry no case
data, and administrators see none. Two rules guard the service itself: the
last active administrator cannot lose the role or be deactivated, and nobody
deactivates themselves.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update

from ...errors import Forbidden, InvalidInput, NotFound
from ...models import AuditEvent, TaskRecord, User, UserRole
from ..core import audit
from ..core.emails import normalise_email
from ..core.forms import validate
from .passwords import password_problem
from .permissions import Ability, roles_with
from .roles import ROLES
from .users import create_user, deactivate as deactivate_user, end_sessions, set_password

if TYPE_CHECKING:
    from ..core.context import Session

# The one role that administers accounts (the permissions table says which).
ADMIN_ROLE = roles_with(Ability.ADMINISTER)[0]
# The audit actions that describe an account (not a case), newest shown on the person's page.
ACCOUNT_ACTIONS = ("user_created", "user_updated", "user_deactivated", "user_reactivated", "password_reset",
                   "user_roles_changed", "user_linked_to_sso", "password_changed")
PAGE_SIZE = 50

_REASON = {"type": "string", "title": "Reason", "maxLength": 200,
           "description": "Why you are making this change. It goes on the record with your name.",
           "x-messages": {"required": "Give a reason for this change"}}
_ROLES = {"type": "array", "title": "Roles", "uniqueItems": True,
          "description": "What they can do in Boundary. Select all that apply.",
          "items": {"type": "string", "enum": list(ROLES), "x-enumNames": list(ROLES.values())}}
_DETAILS = {
    "display_name": {"type": "string", "title": "Full name", "maxLength": 200,
                     "x-messages": {"required": "Enter their full name"}},
    "email": {"type": "string", "title": "Email address", "format": "email", "maxLength": 200,
              "description": "Where Boundary emails them about their tasks.",
              "x-messages": {"format": "Enter an email address in the correct format, like name@example.org"}},
    "roles": _ROLES,
}
CREATE_FORM = {
    "title": "Add a person", "type": "object", "additionalProperties": False,
    "required": ["username", "display_name", "reason"],
    "properties": {"username": {"type": "string", "title": "Username", "maxLength": 80,
                                "description": "What they type to sign in: letters, digits, '-', '_', '.' or '@'.",
                                "x-messages": {"required": "Enter a username"}},
                   **_DETAILS, "reason": _REASON},
}
EDIT_FORM = {"title": "Change their details", "type": "object", "additionalProperties": False,
             "required": ["display_name", "reason"], "properties": {**_DETAILS, "reason": _REASON}}
REASON_FORM = {"title": "Reason", "type": "object", "additionalProperties": False, "required": ["reason"],
               "properties": {"reason": _REASON}}


def can_administer(user: User) -> bool:
    return ADMIN_ROLE in user.roles


def require_admin(user: User) -> None:
    if not can_administer(user):
        raise Forbidden("Only an administrator can manage people's accounts.")


def search(session: Session, actor: User, text: str = "", page: int = 1) -> tuple[list[User], int]:
    """People whose username, name or email contains ``text``, by name; and how many there are."""
    require_admin(actor)
    query = select(User)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.username).like(like), func.lower(User.display_name).like(like),
                                func.lower(User.email).like(like)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = session.scalars(query.order_by(User.display_name, User.username)
                            .offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return list(found), total


def get(session: Session, actor: User, user_id: int) -> User:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such person.")
    return user


def history(session: Session, actor: User, user: User, limit: int = 20) -> list[AuditEvent]:
    """The latest changes to ``user``'s account."""
    require_admin(actor)
    events = session.scalars(select(AuditEvent).where(AuditEvent.case_id.is_(None),
                                                      AuditEvent.action.in_(ACCOUNT_ACTIONS))
                             .order_by(AuditEvent.id.desc()).limit(2000))
    return [event for event in events if (event.data or {}).get("user") == user.username][:limit]


def temporary_password(username: str) -> str:
    """Four groups of random letters and digits: easy to read out, never a common password."""
    while True:
        candidate = "-".join(secrets.token_hex(3) for _ in range(4))
        if password_problem(candidate, username) is None:
            return candidate


def create(session: Session, actor: User, data: Mapping[str, Any], passwords: bool = True) -> tuple[User, str | None]:
    """A new account and, when passwords are in use, the temporary password to hand over once."""
    require_admin(actor)
    validate(CREATE_FORM, dict(data))
    reason = audit.required_reason(data.get("reason"), "adding a person")
    password = temporary_password(data["username"]) if passwords else None
    user = create_user(session, data["username"].strip(), password or "", data.get("roles") or [],
                       display_name=data["display_name"].strip(), email=data.get("email") or None,
                       **({} if password else {"password_hash": "!no-password"}))
    user.must_change_password = bool(password)
    audit.record(session, actor.username, "user_created",
                 data={"user": user.username, "roles": sorted(user.roles), "reason": reason})
    return user, password


def update_details(session: Session, actor: User, user_id: int, data: Mapping[str, Any]) -> User:
    require_admin(actor)
    validate(EDIT_FORM, dict(data))
    reason = audit.required_reason(data.get("reason"), "changing their details")
    user = get(session, actor, user_id)
    roles = set(data.get("roles") or [])
    if ADMIN_ROLE in user.roles and ADMIN_ROLE not in roles:
        _not_the_last_admin(session, user, "take the administrator role from", "roles")
    changes: dict[str, object] = {}
    email = normalise_email(data["email"], "email") if data.get("email") else None
    for name, new in (("display_name", data["display_name"].strip()), ("email", email)):
        if getattr(user, name) != new:
            changes[name] = new if name == "display_name" else bool(new)  # the record keeps no address
            setattr(user, name, new)
    added, removed = sorted(roles - user.roles), sorted(user.roles - roles)
    if added or removed:
        user.role_rows = [row for row in user.role_rows if row.role in roles] + [UserRole(role=r) for r in added]
        end_sessions(user)  # pages drawn for the old roles should not live on
        changes.update(roles_added=added, roles_removed=removed)
    if not changes:
        raise InvalidInput("Nothing changed: change a detail or a role, or go back.")
    audit.record(session, actor.username, "user_updated", data={"user": user.username, "reason": reason, **changes})
    return user


def deactivate(session: Session, actor: User, user_id: int, reason: str) -> int:
    """No more signing in; sessions and API tokens end now; their claimed tasks are released (on each
    case's record). Returns how many tasks were released."""
    reason = audit.required_reason(reason, "deactivating the account")
    user = get(session, actor, user_id)
    if user.id == actor.id:
        raise InvalidInput("You cannot deactivate your own account. Ask another administrator.")
    if not user.active:
        raise InvalidInput(f"{user.display_name}'s account is already deactivated.")
    if ADMIN_ROLE in user.roles:
        _not_the_last_admin(session, user, "deactivate")
    deactivate_user(session, user)
    claimed = session.execute(select(TaskRecord.id, TaskRecord.case_id, TaskRecord.element_id).where(
        TaskRecord.claimed_by == user.username, TaskRecord.status == "ready")).all()
    if claimed:
        session.execute(update(TaskRecord).where(TaskRecord.id.in_([row.id for row in claimed]))
                        .values(claimed_by=None).execution_options(synchronize_session=False))
    for task_id, case_id, element_id in claimed:
        audit.record(session, actor.username, "task_released", case_id, task_id=task_id, element_id=element_id,
                     data={"from": user.username, "reason": "their account was deactivated"})
    audit.record(session, actor.username, "user_deactivated",
                 data={"user": user.username, "reason": reason, "tasks_released": len(claimed)})
    return len(claimed)


def reactivate(session: Session, actor: User, user_id: int, reason: str) -> User:
    reason = audit.required_reason(reason, "reactivating the account")
    user = get(session, actor, user_id)
    if user.active:
        raise InvalidInput(f"{user.display_name}'s account is already active.")
    user.active = True
    audit.record(session, actor.username, "user_reactivated", data={"user": user.username, "reason": reason})
    return user


def reset_password(session: Session, actor: User, user_id: int, reason: str) -> str:
    """A temporary password they must change at their next sign-in; their sessions and tokens end."""
    reason = audit.required_reason(reason, "resetting the password")
    user = get(session, actor, user_id)
    if user.sso_subject is not None:
        raise InvalidInput(f"{user.display_name} signs in with the organisation's account, which has its own password.")
    password = temporary_password(user.username)
    set_password(session, user, password, temporary=True)
    audit.record(session, actor.username, "password_reset", data={"user": user.username, "reason": reason})
    return password


def _not_the_last_admin(session: Session, user: User, doing: str, field: str = "_form") -> None:
    others = session.scalar(select(func.count(User.id)).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == ADMIN_ROLE, User.active.is_(True), User.id != user.id))
    if not others:
        message = (f"You cannot {doing} {user.display_name}: they are the last administrator. "
                   "Make someone else an administrator first.")
        raise InvalidInput(message, {field: [message]})

