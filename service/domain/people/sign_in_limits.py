"""One limit on password guessing, the same for the web sign-in and ``POST /api/v1/tokens``.

It lives in the database (table ``sign_in_throttles``), the one store every
worker and node shares, so adding workers does not add guesses. Two counts
are kept for each attempt: one for the account named and one for the client's
address. The first ``free`` attempts in a row pass; after that each attempt
waits for a delay that doubles up to ``longest_wait``. An hour (``forget_after``)
without attempts forgets the count. A successful sign-in clears the account's
count and gives the address its attempt back.

The attempt is counted before the password is checked, in one conditional
``UPDATE`` per key that also sets the next wait: two guesses arriving at once
are serialised by the row lock, so neither slips past the limit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Update, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ...errors import BoundaryError
from ...models import SignInThrottle

if TYPE_CHECKING:
    from ..core.context import Session

T = SignInThrottle


class TooManyAttempts(BoundaryError):
    code, status = "too_many_attempts", 429

    def __init__(self, retry_after: float):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Too many sign-in attempts. Wait {minutes} minute{'s' if minutes > 1 else ''} "
                         "and try again, or ask an administrator to check your account.")
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass(frozen=True)
class Limits:
    account_attempts: int = 5
    address_attempts: int = 50
    first_wait: float = 30.0
    longest_wait: float = 900.0
    forget_after: float = 3600.0

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Limits:
        return cls(account_attempts=int(settings.get("SIGN_IN_ATTEMPTS", cls.account_attempts)),
                   address_attempts=int(settings.get("SIGN_IN_ADDRESS_ATTEMPTS", cls.address_attempts)),
                   longest_wait=60.0 * float(settings.get("SIGN_IN_LONGEST_WAIT_MINUTES", cls.longest_wait / 60)))

    def waits(self) -> list[float]:
        """The wait after each attempt past the free ones, doubling up to the longest."""
        found, wait = [], self.first_wait
        while wait < self.longest_wait:
            found.append(wait)
            wait *= 2
        return [*found, self.longest_wait]


def keys(username: str, address: str | None) -> list[tuple[str, str]]:
    """(key, kind) pairs; usernames are folded so 'Alice' and 'alice ' share one count."""
    return [(f"account:{username.strip().lower()[:150]}", "account"), (f"address:{(address or 'unknown')[:150]}", "address")]


def count_attempt(session: Session, username: str, address: str | None, now: float, limits: Limits) -> None:
    """Count one attempt for the account and the address, or raise ``TooManyAttempts`` while either must wait.

    Run it in a transaction of its own that commits before the password is
    checked, so a failed sign-in still counts."""
    blocked = []
    for key, kind in keys(username, address):
        free = limits.account_attempts if kind == "account" else limits.address_attempts
        _ensure_row(session, key, now)
        counted = session.execute(_counting_update(key, now, free, limits)).first()
        if counted is None:
            blocked.append(session.scalar(select(T.blocked_until).where(T.key == key)) or now + 1)
    if blocked:
        raise TooManyAttempts(max(blocked) - now)


def succeeded(session: Session, username: str, address: str | None, now: float, limits: Limits) -> None:
    """The password was right: forget the account's count and give the address its attempt back."""
    (account, _), (address_key, _) = keys(username, address)
    session.execute(delete(T).where(T.key == account))
    session.execute(update(T).where(T.key == address_key).values(
        attempts=case((T.attempts > 0, T.attempts - 1), else_=0),
        blocked_until=case((T.attempts - 1 < limits.address_attempts, None), else_=T.blocked_until)))
    session.execute(delete(T).where(T.last_at < now - limits.forget_after))  # old counts, kept small


def _ensure_row(session: Session, key: str, now: float) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(T).values(key=key, attempts=0, last_at=now, blocked_until=None)
                    .on_conflict_do_nothing(index_elements=[T.key]))


def _counting_update(key: str, now: float, free: int, limits: Limits) -> Update:
    attempts = case((T.last_at < now - limits.forget_after, 1), else_=T.attempts + 1)
    waits = limits.waits()
    blocked_until = case((attempts < free, None),
                         *[(attempts == free + i, now + wait) for i, wait in enumerate(waits)],
                         else_=now + limits.longest_wait)
    still_waiting = T.blocked_until.is_not(None) & (T.blocked_until > now)
    return (update(T).where(T.key == key, ~still_waiting)
            .values(attempts=attempts, last_at=now, blocked_until=blocked_until).returning(T.attempts))
