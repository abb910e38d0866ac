"""Signed-in browsers, one row each, so a person can see theirs and end one of them.

The cookie holds a random key; the database holds its SHA-256, the user, the
generation it was made under, and when it was made and last used. Checking a
request is one indexed query (``user_for_key``), the same on every worker and
node; the last-used time is written at most once a minute (``touch``). Raising
``User.session_generation`` (``users.end_sessions``) ends every row at once
without touching them; they are tidied away at the user's next sign-in.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Result, bindparam, delete, or_, select, update
from sqlalchemy.orm import selectinload

from ...engine import clock
from ...errors import NotFound
from ...models import User, UserSession

if TYPE_CHECKING:
    from ..core.context import Session

USER_AGENT_LENGTH = 300


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, user: User, user_agent: str, method: str, lifetime: timedelta) -> str:
    """A new session for ``user``; returns the key for the cookie. Rows that can no longer work are removed."""
    now = clock.now()
    session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.generation != user.session_generation, UserSession.created_at < now - lifetime)))
    key = secrets.token_urlsafe(32)
    session.add(UserSession(key_hash=_digest(key), user_id=user.id, generation=user.session_generation,
                            created_at=now, last_seen_at=now, user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
                            method=method))
    session.flush()
    return key


_LIVE_SESSION = (select(User, UserSession.id, UserSession.method).join(UserSession, UserSession.user_id == User.id)
                 .where(UserSession.key_hash == bindparam("key_hash"), User.id == bindparam("user_id"),
                        UserSession.generation == User.session_generation, User.active.is_(True))
                 .options(selectinload(User.role_rows)))


@dataclass(frozen=True)
class Live:
    user: User
    session_id: int
    method: str


def user_for_key(session: Session, user_id: int, key: str) -> Live | None:
    """The signed-in user of a cookie, if its session still works: one query on every request."""
    row = session.execute(_LIVE_SESSION, {"key_hash": _digest(key), "user_id": user_id}).first()
    return Live(row[0], row[1], row[2]) if row else None


def touch(session: Session, key: str) -> None:
    session.execute(update(UserSession).where(UserSession.key_hash == _digest(key)).values(last_seen_at=clock.now()))


def end(session: Session, key: str) -> None:
    """End the session of this cookie (signing out)."""
    session.execute(delete(UserSession).where(UserSession.key_hash == _digest(key)))


def live_sessions(session: Session, user: User) -> list[UserSession]:
    """``user``'s sessions that still work, most recently used first."""
    return list(session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.generation == user.session_generation)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def end_own(session: Session, user: User, session_id: int) -> UserSession:
    """End one of ``user``'s own sessions; another person's is "not found"."""
    row: UserSession | None = session.scalar(
        select(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id))
    if row is None:
        raise NotFound("That session has already ended.")
    session.delete(row)
    return row


def end_all(session: Session, user: User) -> int:
    """Delete every session row of ``user`` (deactivation, a new password); how many there were."""
    return _count(session.execute(delete(UserSession).where(UserSession.user_id == user.id)))


def forget_ended(session: Session, idle: timedelta, lifetime: timedelta) -> int:
    """Delete rows no cookie can use any more (idle, past their lifetime, or an older generation):
    the worker's hourly tidy-up, for people who never sign in again. How many went."""
    now = clock.now()
    current = select(User.session_generation).where(User.id == UserSession.user_id).scalar_subquery()
    # last_seen_at is written at most once a minute, so allow two minutes over the idle time
    return _count(session.execute(delete(UserSession).where(or_(
        UserSession.created_at < now - lifetime, UserSession.last_seen_at < now - idle - timedelta(minutes=2),
        UserSession.generation != current))))


def _count(result: Result[Any]) -> int:
    """How many rows a DELETE removed."""
    return int(cast(CursorResult[Any], result).rowcount)


def describe_agent(user_agent: str) -> str:
    """A browser and system people recognise ("Chrome on Windows") from a User-Agent header."""
    agent = user_agent or ""
    browser = next((name for token, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                                             ("Safari/", "Safari")) if token in agent), "A browser")
    systems = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
               ("Mac OS", "macOS"), ("Linux", "Linux"))
    system = next((name for token, name in systems if token in agent), "")
    return f"{browser} on {system}" if system else browser


def seen_minutes_ago(row: UserSession, now: datetime | None = None) -> int:
    return int(((now or clock.now()) - row.last_seen_at).total_seconds() // 60)
