from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, false as sa_false, true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    # Staff may turn off the emails about tasks arriving for their roles or becoming overdue.
    notify_by_email: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Every session cookie carries the generation it was signed in under; raising it
    # (sign-out, password or role change, deactivation) ends them all at once.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when an administrator gives a temporary password: nothing else opens until it is changed.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # The OpenID Connect provider's subject ("sub") of a person who signs in with single sign-on.
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    # Flask-Login's user protocol
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship(lazy="joined")


class UserSession(db.Model):
    """One signed-in browser. Its cookie carries a random key, stored here only as a SHA-256.

    A session works while its row exists and its ``generation`` is the user's
    ``session_generation``: deleting the row ends one browser, raising the
    generation ends them all. ``last_seen_at`` is written at most once a minute.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    generation: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    # "password" or "sso": how this browser signed in (sign-out offers the provider's end-session page).
    method: Mapped[str] = mapped_column(String(20), default="password")


class SignInThrottle(db.Model):
    """Password attempts per account or client address (``key``), shared by every worker and node.

    Times are seconds since the epoch (floats) so the back-off can be computed
    inside one ``UPDATE`` the same way on SQLite and PostgreSQL.
    """

    __tablename__ = "sign_in_throttles"
    __table_args__ = (Index("ix_sign_in_throttles_last_at", "last_at"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float | None] = mapped_column(Float)
