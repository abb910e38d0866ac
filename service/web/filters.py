"""Template filters: dates in UK format and Europe/London time (stored in UTC)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

LONDON = ZoneInfo("Europe/London")


def uk_date(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def role_title(key: str) -> str:
    """A role's title (``case_officer`` -> ``Case Officer``)."""
    from ..domain.people.roles import ROLES
    return ROLES.get(key, key)


def register(app: Flask) -> None:
    app.add_template_filter(role_title)
    app.add_template_filter(uk_date)
    app.add_template_filter(uk_datetime)
