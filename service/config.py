"""Settings: defaults plus one table mapping environment variables to settings.

Every setting an operator may change is in ``ENVIRONMENT``: its variable, its
type and its default. ``load_settings`` reads them once at start-up and
``check_settings`` refuses a production start with a message per problem.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

CHECKOUT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    key: str
    variable: str
    parse: Callable[[str], object]
    default: object
    help: str


ENVIRONMENT: tuple[Setting, ...] = (
    Setting("ENV", "BOUNDARY_ENV", str, "development",
            "development or production; production refuses unsafe settings"),
    Setting("SQLALCHEMY_DATABASE_URI", "DATABASE_URL", str, None,
            "SQLAlchemy URL; default an SQLite file in instance/"),
    Setting("SECRET_KEY", "SECRET_KEY", str, None,
            "signs sessions and CSRF tokens; required in production"),
    Setting("DEMO_USERS", "BOUNDARY_DEMO_USERS", _bool, None,
            "create one demo user per role (password 'demo'); default on in development only"),
    Setting("WORKFLOWS_DIR", "BOUNDARY_WORKFLOWS_DIR", Path, CHECKOUT / "workflows",
            "BPMN files deployed at set-up"),
    Setting("FORMS_DIR", "BOUNDARY_FORMS_DIR", Path, CHECKOUT / "forms",
            "JSON Schema form definitions"),
    Setting("DEFAULT_PROCESS", "BOUNDARY_DEFAULT_PROCESS", str, "contact_management",
            "the process a recorded incident starts"),
    Setting("MONITORING_PERIOD", "BOUNDARY_MONITORING_PERIOD", str, "P3M",
            "how long contact is monitored after a warning (ISO 8601 duration)"),
    Setting("TOKEN_LIFETIME_HOURS", "BOUNDARY_TOKEN_LIFETIME_HOURS", int, 12,
            "how long an API token stays valid"),
    Setting("WORKER_POLL_SECONDS", "BOUNDARY_WORKER_POLL_SECONDS", float, 5.0,
            "longest the timer worker sleeps between sweeps"),
)


def load_settings(environ: dict[str, str] | None = None) -> dict[str, object]:
    environ = os.environ if environ is None else environ
    settings: dict[str, object] = {}
    for setting in ENVIRONMENT:
        raw = environ.get(setting.variable)
        settings[setting.key] = setting.parse(raw) if raw not in (None, "") else setting.default
    development = settings["ENV"] == "development"
    if settings["DEMO_USERS"] is None:
        settings["DEMO_USERS"] = development
    if settings["SQLALCHEMY_DATABASE_URI"] is None:
        settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{CHECKOUT / 'instance' / 'boundary.sqlite'}"
    if settings["SECRET_KEY"] is None and development:
        settings["SECRET_KEY"] = _development_secret()
    return settings


def check_settings(settings: dict[str, object]) -> list[str]:
    """Problems that must stop a start, each in words an operator can act on."""
    problems = []
    if settings.get("ENV") not in {"development", "production", "testing"}:
        problems.append("BOUNDARY_ENV must be 'development' or 'production'.")
    if settings.get("ENV") == "production":
        if not settings.get("SECRET_KEY") or len(str(settings["SECRET_KEY"])) < 32:
            problems.append("SECRET_KEY is missing or shorter than 32 characters: set a long random value.")
        if settings.get("DEMO_USERS"):
            problems.append("BOUNDARY_DEMO_USERS is on: demo users with the password 'demo' are not allowed in production.")
        if str(settings.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite:///:memory:"):
            problems.append("DATABASE_URL points at an in-memory database: every restart would lose all cases.")
    return problems


def _development_secret() -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    path = CHECKOUT / "instance" / "secret_key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
