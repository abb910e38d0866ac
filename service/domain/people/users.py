"""Users, their roles, passwords and API tokens, and ending a user's sessions and tokens.

A change that should lock someone out (sign-out, a new password, a role taken
away, deactivation) raises ``User.session_generation``: every session cookie
signed in under an older generation stops working at its next request.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload
from werkzeug.security import (
    check_password_hash as check_password_hash,  # re-exported: ``account`` checks passwords through here
    generate_password_hash,
)

from ...engine import clock
from ...errors import InvalidInput, NotFound, Unauthorised
from ...models import ApiToken, User, UserRole
from ..core.emails import normalise_email
from ..core.transaction import rowcount
from . import sessions
from .passwords import check_password
from .roles import ROLES

if TYPE_CHECKING:
    from ..core.context import Session

DEMO_PASSWORD = "demo"
# A hash to compare against when the user does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-password")
# Besides letters and digits a username may hold these (an organisation's sign-in name is often an address).
_USERNAME_MARKS = str.maketrans("", "", "_-.@")


def create_user(session: Session, username: str, password: str, roles: Iterable[str]=(), display_name: str | None = None,
                email: str | None = None, password_hash: str | None = None) -> User:
    if not username or len(username) > 80 or not username.translate(_USERNAME_MARKS).isalnum():
        raise InvalidInput("Choose a username of letters, digits, '-', '_', '.' or '@', 80 at most.",
                           {"username": ["Use letters, digits, '-', '_', '.' or '@'"]})
    if session.scalar(select(User).where(User.username == username)):
        raise InvalidInput(f"The username {username} is taken.", {"username": [f"The username {username} is taken: choose another"]})
    if password_hash is None:
        check_password(password, username)
    user = User(username=username, display_name=display_name or username.replace("_", " ").title(),
                email=normalise_email(email, "email") if email else None,
                password_hash=password_hash or generate_password_hash(password), created_at=clock.now())
    session.add(user)
    grant_roles(user, roles)
    session.flush()
    return user


def grant_roles(user: User, roles: Iterable[str]) -> None:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInput(f"Unknown roles: {', '.join(unknown)}. Known roles: {', '.join(ROLES)}.",
                           {"roles": [f"Unknown role {r}" for r in unknown]})
    added = [role for role in roles if role not in user.roles]
    for role in added:
        user.role_rows.append(UserRole(role=role))
    if added and user.id is not None:
        end_sessions(user)  # pages drawn for the old roles should not live on


def revoke_roles(user: User, roles: Iterable[str]) -> None:
    """Take roles away; the user's sessions end so no page keeps showing what the role allowed."""
    user.role_rows = [row for row in user.role_rows if row.role not in set(roles)]
    end_sessions(user)


def set_password(session: Session, user: User, password: str, temporary: bool = False) -> None:
    """A new password ends every session and token made with the old one. A ``temporary`` one
    (an administrator's reset) must be changed at the next sign-in."""
    check_password(password, user.username)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = temporary
    end_sessions(user)
    sessions.end_all(session, user)
    revoke_tokens(session, user)


def deactivate(session: Session, user: User) -> None:
    user.active = False
    end_sessions(user)
    sessions.end_all(session, user)
    revoke_tokens(session, user)


def end_sessions(user: User) -> None:
    # Incremented by the database, so two changes at once both count.
    user.session_generation = User.session_generation + 1


def revoke_tokens(session: Session, user: User) -> int:
    """Delete every API token of ``user``; how many there were."""
    return rowcount(session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)))


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))


def find_user(session: Session, username: str) -> User:
    user: User | None = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"There is no user called {username}.")
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user: User | None = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise Unauthorised("The username or password is not right.")
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        raise Unauthorised("The username or password is not right.")
    return user


def issue_token(session: Session, user: User, lifetime_hours: int) -> str:
    if user.must_change_password:
        raise Unauthorised("This account has a temporary password: sign in in the browser and choose your own first.")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(ApiToken(token_hash=_digest(token), user_id=user.id, created_at=now,
                         expires_at=now + timedelta(hours=lifetime_hours)))
    session.flush()
    return token


_TOKEN_WITH_USER = (select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
                    .options(joinedload(ApiToken.user).joinedload(User.role_rows)))


def user_for_token(session: Session, token: str) -> User:
    # One query for token, user and roles: this runs on every API request.
    row = session.scalars(_TOKEN_WITH_USER, {"token_hash": _digest(token)}).unique().first()
    if row is None or row.expires_at <= clock.now() or not row.user.active:
        raise Unauthorised("The token is missing, wrong or expired. Ask for a new one at POST /api/v1/tokens.")
    return row.user


def seed_demo_users(session: Session) -> list[str]:
    """One user per role, named after the role, plus ``all_roles``; password ``demo``; each with
    an address like ``case_officer@example.org``, so the local outbox shows their task emails."""
    created = []
    demo_hash = generate_password_hash(DEMO_PASSWORD)  # one slow hash for all demo users
    for role in [*ROLES, "all_roles"]:
        existing = session.scalar(select(User).where(User.username == role))
        if existing:
            existing.email = existing.email or f"{role}@example.org"  # demo users made before email existed
            continue
        roles = list(ROLES) if role == "all_roles" else [role]
        create_user(session, role, DEMO_PASSWORD, roles, display_name=f"Demo {ROLES.get(role, 'all roles')}",
                    email=f"{role}@example.org", password_hash=demo_hash)
        created.append(role)
    return created


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
