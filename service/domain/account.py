"""A signed-in person's own settings: the address Boundary emails and whether it emails them
about tasks arriving for their roles or becoming overdue."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import User
from .emails import normalise_email
from .forms import validate

if TYPE_CHECKING:
    from .context import Session

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
