"""Single sign-on: who a verified ID token is in Boundary, and which roles their groups give.

The web layer (``web/sso.py``, Authlib) runs the OpenID Connect flow and
verifies the ID token; this module takes its claims. The first sign-in makes
the user (just in time); every sign-in sets their roles to those their groups
map to (``BOUNDARY_OIDC_GROUP_ROLES``), on the record when they change. Someone
whose groups map to no role is refused and told to ask their administrator.

``BOUNDARY_LOCAL_PASSWORDS=off`` (with single sign-on configured) keeps
passwords only for the usernames in ``BOUNDARY_PASSWORD_USERS``: the
break-glass administrator and machine clients asking for API tokens.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...errors import Forbidden, Unauthorised
from ...models import User, UserRole
from ..core import audit
from .roles import ROLES
from .users import create_user, end_sessions

if TYPE_CHECKING:
    from ..core.context import Session

SSO_ACTOR = "single sign-on"
# Accounts made by single sign-on get no password that could ever match.
NO_PASSWORD = "!sso"


class NoMappedGroup(Forbidden):
    """The person signed in at the provider, but none of their groups gives a Boundary role."""


def configured(settings: Mapping[str, Any]) -> bool:
    return bool(settings.get("OIDC_ISSUER") and settings.get("OIDC_CLIENT_ID"))


def local_passwords_on(settings: Mapping[str, Any]) -> bool:
    """Passwords work for everyone unless single sign-on is on and they were turned off."""
    return not configured(settings) or bool(settings.get("LOCAL_PASSWORDS", True))


def password_allowed(settings: Mapping[str, Any], username: str) -> bool:
    """Whether ``username`` may sign in (or ask for an API token) with a password."""
    keep = {name.strip().lower() for name in settings.get("PASSWORD_USERS") or () if name.strip()}
    return local_passwords_on(settings) or username.strip().lower() in keep


def refuse_password_unless_allowed(settings: Mapping[str, Any], username: str) -> None:
    if not password_allowed(settings, username):
        raise Unauthorised("Passwords are turned off here: sign in with your organisation's account.")


def roles_for_groups(settings: Mapping[str, Any], groups: Sequence[str]) -> set[str]:
    """The role keys the person's groups map to; unknown role keys in the mapping are ignored."""
    mapping = settings.get("OIDC_GROUP_ROLES") or {}
    roles: set[str] = set()
    for group in groups:
        mapped = mapping.get(group) or []
        roles.update([mapped] if isinstance(mapped, str) else mapped)
    return {role for role in roles if role in ROLES}


def _groups(claims: Mapping[str, Any], claim: str) -> list[str]:
    value = claims.get(claim) or []
    if isinstance(value, str):
        return [value]
    return [str(group) for group in value] if isinstance(value, list) else []


def _username(claims: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    raw = str(claims.get(settings.get("OIDC_USERNAME_CLAIM") or "preferred_username")
              or claims.get("email") or claims["sub"])
    return re.sub(r"[^a-z0-9._@-]+", "_", raw.strip().lower())[:80]


def subject_of(settings: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
    """The stored subject: the issuer and ``sub``, which together never change or repeat."""
    return f"{settings['OIDC_ISSUER'].rstrip('/')}#{claims['sub']}"[:255]


def sign_in_from_claims(session: Session, settings: Mapping[str, Any], claims: Mapping[str, Any]) -> User:
    """The Boundary user for a verified ID token, made or updated; ``NoMappedGroup`` if no role."""
    groups = _groups(claims, settings.get("OIDC_GROUPS_CLAIM") or "groups")
    roles = roles_for_groups(settings, groups)
    subject = subject_of(settings, claims)
    user = session.scalar(select(User).where(User.sso_subject == subject))
    if user is not None and not user.active:
        raise Unauthorised("Your Boundary account is deactivated. Ask your administrator if you need it again.")
    if not roles:
        raise NoMappedGroup("Your organisation's account does not give you a role in Boundary yet. Ask your "
                            "administrator to add you to a group that Boundary knows.")
    if user is None:
        user = _link_or_create(session, settings, claims, subject, roles)
    _set_roles(session, user, roles, groups)
    email = claims.get("email")
    if isinstance(email, str) and email and not user.email:
        user.email = email[:320]
    return user


def _link_or_create(session: Session, settings: Mapping[str, Any], claims: Mapping[str, Any], subject: str,
                    roles: set[str]) -> User:
    """A local account with the same username is linked once, unless it keeps a password (break-glass)."""
    username = _username(claims, settings)
    existing: User | None = session.scalar(select(User).where(User.username == username))
    if existing is not None:
        if existing.sso_subject is not None or username in {
                n.strip().lower() for n in settings.get("PASSWORD_USERS") or ()}:
            raise Forbidden(f"The Boundary account {username} belongs to someone else. Ask your administrator.")
        if not existing.active:
            raise Unauthorised("Your Boundary account is deactivated. Ask your administrator if you need it again.")
        existing.sso_subject = subject
        audit.record(session, SSO_ACTOR, "user_linked_to_sso", data={"user": username})
        return existing
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    user = create_user(session, username, "", (), display_name=(name or username)[:200],
                       password_hash=NO_PASSWORD)
    user.sso_subject = subject
    audit.record(session, SSO_ACTOR, "user_created", data={"user": username, "roles": sorted(roles),
                                                            "reason": "first sign-in with single sign-on"})
    return user


def _set_roles(session: Session, user: User, roles: set[str], groups: list[str]) -> None:
    added, removed = sorted(roles - user.roles), sorted(user.roles - roles)
    if not added and not removed:
        return
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [UserRole(role=r) for r in added]
    if user.id is not None and removed:
        end_sessions(user)  # pages drawn for the roles taken away should not live on
    session.flush()
    audit.record(session, SSO_ACTOR, "user_roles_changed",
                 data={"user": user.username, "added": added, "removed": removed, "groups": sorted(groups),
                       "reason": "groups at the organisation's provider"})
