"""A signed-in person's own settings: the address Boundary emails and whether it emails them
about tasks arriving for their roles or becoming overdue; and their password."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...engine import clock
from ...errors import InvalidInput
from ...models import User
from ..core import audit
from ..core.emails import normalise_email
from ..core.forms import validate
from ..core.transaction import transaction
from . import users
from .passwords import password_problem
from .sign_in_limits import Limits, count_attempt, succeeded

if TYPE_CHECKING:
    from ..core.context import Session

ACCOUNT_FORM = {
    "title": "Your email settings",
    "type": "object",
    "additionalProperties": False,
    "required": ["notify_by_email"],
    "properties": {
        # 200 at most: a longer limit would draw a text area (form_fields), and no real address is longer.
        "email": {"type": "string", "title": "Email address", "format": "email", "maxLength": 200,
                  "description": "Where Boundary emails you. Leave it empty to get no email.",
                  "x-messages": {"format": "Enter an email address in the correct format, like name@example.org"}},
        "notify_by_email": {"type": "boolean", "title": "Email me when a task arrives for my roles or becomes overdue?",
                            "x-messages": {"required": "Select yes if you want emails about your tasks"}},
    },
}


def settings_of(user: User) -> dict[str, Any]:
    """The form's answers as they stand."""
    return {"notify_by_email": user.notify_by_email, **({"email": user.email} if user.email else {})}


def update(session: Session, user: User, data: dict[str, Any]) -> User:
    """Save the answers (checked by ``ACCOUNT_FORM``) in the caller's transaction; no address clears it."""
    validate(ACCOUNT_FORM, data)
    user.email = normalise_email(data["email"]) if data.get("email", "").strip() else None
    user.notify_by_email = data["notify_by_email"]
    session.add(user)
    return user


def change_password(session: Session, settings: dict[str, Any], user: User, current: str, new: str, confirm: str,
                    address: str | None) -> None:
    """Your own new password: the current one proves it is you, behind the same limit on guessing as
    signing in. Every session and API token made with the old one ends (the web layer signs this
    browser in again); a temporary password is gone. Commits, like ``sign_in``: a wrong guess must count."""
    if user.sso_subject is not None:
        raise InvalidInput("You sign in with your organisation's account: change its password there.",
                           {"current_password": ["You sign in with your organisation's account"]})
    limits, now = Limits.from_settings(settings), clock.now().timestamp()
    with transaction(session):
        count_attempt(session, user.username, address, now, limits)
    fields: dict[str, list[str]] = {}
    if not users.check_password_hash(user.password_hash, current or ""):
        fields["current_password"] = ["Your current password is not right"]
    problem = password_problem(new or "", user.username)
    if problem:
        fields["new_password"] = [problem]
    elif new == current:
        fields["new_password"] = ["Choose a password different from your current one"]
    elif new != confirm:
        fields["confirm_password"] = ["The two new passwords are not the same"]
    if fields:
        raise InvalidInput("Check your passwords.", fields)
    with transaction(session):
        users.set_password(session, user, new)
        audit.record(session, user.username, "password_changed", data={"user": user.username})
        succeeded(session, user.username, address, now, limits)
