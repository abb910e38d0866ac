"""Email addresses people type: exactly one valid address, nothing else.

An address field that accepted line breaks or lists could add recipients or
headers to Boundary's email. ``email-validator`` checks the syntax (no DNS
look-up: an office network may have none) and returns the normalised form.
"""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from ...errors import InvalidInput

EXAMPLE = "name@example.org"


def email_problem(value: str) -> str | None:
    """Why ``value`` is not one valid address; None when it is."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return f"Enter one email address in the correct format, like {EXAMPLE}"
    return None


def is_email(value: object) -> bool:
    return isinstance(value, str) and email_problem(value) is None


def normalise_email(value: str, field: str = "email") -> str:
    """The address as email-validator normalises it, or ``InvalidInput`` naming ``field``."""
    try:
        return validate_email(value.strip() if "\n" not in value and "\r" not in value else value,
                              check_deliverability=False).normalized
    except EmailNotValidError:
        message = f"Enter one email address in the correct format, like {EXAMPLE}"
        raise InvalidInput(f"{field}: {message}", {field: [message]}) from None
