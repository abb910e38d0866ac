"""Signing in with a password, for the web and the API alike, behind the shared limit.

The attempt is counted and committed before the password is checked (so a
failure counts even though the sign-in is refused), then the password is
checked; a success clears the account's count. That makes three short
transactions, which is why this function, unlike most domain calls, commits.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...engine import clock
from ...models import User
from ..core.transaction import transaction
from .sign_in_limits import Limits, count_attempt, succeeded
from .sso import refuse_password_unless_allowed
from .users import authenticate

if TYPE_CHECKING:
    from ..core.context import Session


def sign_in(session: Session, settings: dict[str, Any], username: str, password: str, address: str | None) -> User:
    """The user, or ``TooManyAttempts`` (429) or ``Unauthorised`` (401, also when passwords are turned off)."""
    refuse_password_unless_allowed(settings, username)
    limits = Limits.from_settings(settings)
    now = clock.now().timestamp()
    with transaction(session):
        count_attempt(session, username, address, now, limits)
    user = authenticate(session, username, password)
    with transaction(session):
        succeeded(session, username, address, now, limits)
    return user
