"""What a new password must be: at least 12 characters, not the username, and not one of the
30,000 most common passwords (the list zxcvbn ships, drawn from real leaks).

Only new passwords are checked; the demo users keep their documented password
``demo`` in development (production refuses demo users altogether).
"""
from __future__ import annotations

from functools import lru_cache

from ...errors import InvalidInput

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used, in words to show the person choosing it; None when it may."""
    if len(password or "") < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (a few unrelated words are easy to remember)."
    folded = password.lower()
    if folded in _common() or folded.strip("0123456789!?.") in _common():
        return "This is one of the most common passwords, which are guessed first: choose another."
    if username and username.lower() in folded:
        return "The password may not contain the username: choose another."
    return None


def check_password(password: str, username: str = "") -> None:
    problem = password_problem(password, username)
    if problem:
        raise InvalidInput(f"The password cannot be used. {problem}", {"password": [problem]})
