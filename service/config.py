"""Settings: defaults plus one table mapping environment variables to settings.

Every setting an operator may change is in ``ENVIRONMENT``: its variable, its
type and its default. ``load_settings`` reads them once at start-up and
``check_settings`` refuses a production start with a message per problem.
"""
from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _names(value: str) -> tuple[str, ...]:
    """A comma-separated list of names."""
    return tuple(name.strip() for name in value.split(",") if name.strip())


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
    Setting("TASK_DUE", "BOUNDARY_TASK_DUE", json.loads, {},
            'due periods per task, overriding the diagrams\' dueIn: JSON like {"review_contact_strategy": "P10D"}'),
    Setting("TOKEN_LIFETIME_HOURS", "BOUNDARY_TOKEN_LIFETIME_HOURS", int, 12,
            "how long an API token stays valid"),
    Setting("TRUSTED_PROXIES", "BOUNDARY_TRUSTED_PROXIES", int, 0,
            "how many reverse proxies in front of Boundary set X-Forwarded-For/-Proto; 0 trusts none"),
    Setting("SESSION_IDLE_MINUTES", "BOUNDARY_SESSION_IDLE_MINUTES", int, 30,
            "a signed-in browser unused for this long must sign in again"),
    Setting("SESSION_LIFETIME_HOURS", "BOUNDARY_SESSION_LIFETIME_HOURS", int, 12,
            "a browser must sign in again this long after signing in, however busy"),
    Setting("SIGN_IN_ATTEMPTS", "BOUNDARY_SIGN_IN_ATTEMPTS", int, 5,
            "password attempts per account before each further one must wait (30 s, doubling)"),
    Setting("SIGN_IN_ADDRESS_ATTEMPTS", "BOUNDARY_SIGN_IN_ADDRESS_ATTEMPTS", int, 50,
            "password attempts per client address before each further one must wait"),
    Setting("SIGN_IN_LONGEST_WAIT_MINUTES", "BOUNDARY_SIGN_IN_LONGEST_WAIT_MINUTES", int, 15,
            "the longest wait between attempts once the limit is reached"),
    Setting("WORKER_POLL_SECONDS", "BOUNDARY_WORKER_POLL_SECONDS", float, 5.0,
            "longest the timer worker sleeps between sweeps"),
    Setting("SCRIPT_SECONDS", "BOUNDARY_SCRIPT_SECONDS", float, 2.0,
            "longest one run of diagram code (a condition, script or timer expression) may take"),
    Setting("SCRIPT_STEPS", "BOUNDARY_SCRIPT_STEPS", int, 1_000_000,
            "most loop steps and function calls one run of diagram code may make"),
    Setting("SCRIPT_MEMORY_MB", "BOUNDARY_SCRIPT_MEMORY_MB", int, 256,
            "most the process's peak memory may grow during one run of diagram code"),
    Setting("MAX_CONTENT_LENGTH", "BOUNDARY_MAX_REQUEST_BYTES", int, 3 * 1024 * 1024,
            "largest request body read, chunked or not (a 2 MB diagram upload plus its form fields)"),
    Setting("LOG_FORMAT", "BOUNDARY_LOG_FORMAT", str, None,
            "json (one object per line) or text; default json in production, text in development"),
    Setting("LOG_LEVEL", "BOUNDARY_LOG_LEVEL", str, "INFO", "DEBUG, INFO, WARNING or ERROR"),
    Setting("METRICS", "BOUNDARY_METRICS", _bool, True, "serve Prometheus metrics at /metrics"),
    Setting("OFFICE_NAME", "BOUNDARY_OFFICE_NAME", str, "The Office of the Police and Crime Commissioner",
            "the office's name, printed on letters"),
    Setting("OFFICE_ADDRESS", "BOUNDARY_OFFICE_ADDRESS", str, "",
            "the office's postal address on letters, lines separated by commas or newlines"),
    Setting("OFFICE_LOGO", "BOUNDARY_OFFICE_LOGO", Path, CHECKOUT / "service" / "static" / "letters" / "logo.svg",
            "an SVG or PNG file printed at the top of letters"),
    Setting("LETTERS_BY_POST_AND_EMAIL", "BOUNDARY_LETTERS_BY_POST_AND_EMAIL", _bool, False,
            "send letters by post and email wherever both addresses are known, unless the person agreed one way "
            "(Staffordshire SCO 5.3)"),
    Setting("POLICY_PDF", "BOUNDARY_POLICY_PDF", Path, None,
            "the policy enclosed with contact strategy letters (a PDF attached to the email); unset, a summary "
            "is drawn from templates/letters/_policy_summary.html"),
    Setting("CHIEF_EXECUTIVE_ADDRESS", "BOUNDARY_CHIEF_EXECUTIVE_ADDRESS", str, "",
            "where the person writes to dispute a strategy: the Chief Executive's postal address, lines "
            "separated by commas or newlines (empty: the office's address)"),
    Setting("CHIEF_EXECUTIVE_EMAIL", "BOUNDARY_CHIEF_EXECUTIVE_EMAIL", str, "",
            "the Chief Executive's email address for disputes, printed on strategy letters"),
    Setting("RETENTION_PERIOD", "BOUNDARY_RETENTION_PERIOD", str, "P6Y",
            "how long a closed case is kept before the worker purges it (ISO 8601 duration)"),
    Setting("MAIL_SMTP_HOST", "BOUNDARY_SMTP_HOST", str, None,
            "SMTP server for outgoing email; unset keeps mail in the local outbox page (development)"),
    Setting("MAIL_SMTP_PORT", "BOUNDARY_SMTP_PORT", int, 587, "SMTP port"),
    Setting("MAIL_SMTP_SECURITY", "BOUNDARY_SMTP_SECURITY", str, "starttls",
            "starttls, ssl or none (none only for a relay on the same host)"),
    Setting("MAIL_SMTP_USERNAME", "BOUNDARY_SMTP_USERNAME", str, None, "SMTP user name, if the server asks for one"),
    Setting("MAIL_SMTP_PASSWORD", "BOUNDARY_SMTP_PASSWORD", str, None, "SMTP password"),
    Setting("MAIL_FROM", "BOUNDARY_MAIL_FROM", str, "boundary@localhost", "the From address of Boundary's email"),
    Setting("SPEC_GUARD", "BOUNDARY_SPEC_GUARD", _bool, None,
            "check on every use that no case changed a deployed version's cached specs (under 1 ms); a change "
            "is logged and the version parsed again; default on except in production"),
    Setting("BASE_URL", "BOUNDARY_BASE_URL", str, "http://127.0.0.1:5000",
            "the address staff use to reach Boundary, for links in email"),
    # Single sign-on with OpenID Connect (README: Microsoft Entra ID, Keycloak). On when issuer and client id are set.
    Setting("OIDC_ISSUER", "BOUNDARY_OIDC_ISSUER", str, None,
            "the OpenID Connect provider's issuer URL (its /.well-known/openid-configuration is read)"),
    Setting("OIDC_CLIENT_ID", "BOUNDARY_OIDC_CLIENT_ID", str, None, "Boundary's client id at the provider"),
    Setting("OIDC_CLIENT_SECRET", "BOUNDARY_OIDC_CLIENT_SECRET", str, None, "Boundary's client secret at the provider"),
    Setting("OIDC_SCOPES", "BOUNDARY_OIDC_SCOPES", str, "openid profile email", "scopes asked for, space-separated"),
    Setting("OIDC_GROUPS_CLAIM", "BOUNDARY_OIDC_GROUPS_CLAIM", str, "groups",
            "the ID token claim that lists the person's groups"),
    Setting("OIDC_USERNAME_CLAIM", "BOUNDARY_OIDC_USERNAME_CLAIM", str, "preferred_username",
            "the ID token claim that becomes the Boundary username of a new user"),
    Setting("OIDC_GROUP_ROLES", "BOUNDARY_OIDC_GROUP_ROLES", json.loads, {},
            'groups to role keys: JSON like {"boundary-officers": ["case_officer"], "boundary-admins": ["admin"]}'),
    Setting("LOCAL_PASSWORDS", "BOUNDARY_LOCAL_PASSWORDS", _bool, True,
            "off: with single sign-on on, only BOUNDARY_PASSWORD_USERS may use a password"),
    Setting("PASSWORD_USERS", "BOUNDARY_PASSWORD_USERS", lambda raw: _names(raw), (),
            "usernames that keep a password when local passwords are off (break-glass admin, API clients)"),
)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Bare PostgreSQL URLs (as hosting platforms hand them out) mean the installed driver.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    unreadable = []
    for setting in ENVIRONMENT:
        raw = environ.get(setting.variable)
        try:
            settings[setting.key] = setting.parse(raw) if raw not in (None, "") else setting.default
        except ValueError:
            settings[setting.key] = setting.default
            unreadable.append(f"{setting.variable}={raw!r} is not valid: it should be {setting.help}.")
    settings["UNREADABLE_SETTINGS"] = unreadable
    development = settings["ENV"] == "development"
    if settings["LOG_FORMAT"] is None:
        settings["LOG_FORMAT"] = "text" if development else "json"
    url = settings["SQLALCHEMY_DATABASE_URI"]
    if isinstance(url, str) and url.startswith(_POSTGRES_SCHEMES):
        settings["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url.split("://", 1)[1]
    if settings["DEMO_USERS"] is None:
        settings["DEMO_USERS"] = development
    if settings["SPEC_GUARD"] is None:
        settings["SPEC_GUARD"] = settings["ENV"] != "production"
    if settings["SQLALCHEMY_DATABASE_URI"] is None and settings["ENV"] != "production":
        settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{CHECKOUT / 'instance' / 'boundary.sqlite'}"
    if settings["SECRET_KEY"] is None and development:
        settings["SECRET_KEY"] = _development_secret()
    return settings


def check_settings(settings: dict[str, Any]) -> list[str]:
    """Problems that must stop a start, each in words an operator can act on."""
    problems = list(settings.get("UNREADABLE_SETTINGS") or ())
    if settings.get("ENV") not in {"development", "production", "testing"}:
        problems.append("BOUNDARY_ENV must be 'development' or 'production'.")
    if settings.get("LOG_FORMAT", "json") not in {"json", "text"}:
        problems.append("BOUNDARY_LOG_FORMAT must be 'json' or 'text'.")
    if str(settings.get("LOG_LEVEL", "INFO")).upper() not in LOG_LEVELS:
        problems.append(f"BOUNDARY_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}.")
    problems += _database_problems(settings.get("SQLALCHEMY_DATABASE_URI"), settings.get("ENV") == "production")
    if settings.get("MONITORING_PERIOD") is not None and not _is_duration(settings["MONITORING_PERIOD"]):
        problems.append(f"BOUNDARY_MONITORING_PERIOD={settings['MONITORING_PERIOD']!r} is not an ISO 8601 "
                        "duration such as P3M or P90D.")
    if settings.get("RETENTION_PERIOD") is not None and not _is_duration(settings["RETENTION_PERIOD"]):
        problems.append(f"BOUNDARY_RETENTION_PERIOD={settings['RETENTION_PERIOD']!r} is not an ISO 8601 "
                        "duration such as P6Y.")
    if settings.get("MAIL_SMTP_SECURITY", "starttls") not in {"starttls", "ssl", "none"}:
        problems.append("BOUNDARY_SMTP_SECURITY must be 'starttls', 'ssl' or 'none'.")
    for key, variable in (("SESSION_IDLE_MINUTES", "BOUNDARY_SESSION_IDLE_MINUTES"),
                          ("SESSION_LIFETIME_HOURS", "BOUNDARY_SESSION_LIFETIME_HOURS"),
                          ("SIGN_IN_ATTEMPTS", "BOUNDARY_SIGN_IN_ATTEMPTS"),
                          ("SIGN_IN_ADDRESS_ATTEMPTS", "BOUNDARY_SIGN_IN_ADDRESS_ATTEMPTS"),
                          ("SIGN_IN_LONGEST_WAIT_MINUTES", "BOUNDARY_SIGN_IN_LONGEST_WAIT_MINUTES")):
        if settings.get(key) is not None and int(settings[key]) < 1:
            problems.append(f"{variable} must be 1 or more.")
    if settings.get("TRUSTED_PROXIES") is not None and int(settings["TRUSTED_PROXIES"]) < 0:
        problems.append("BOUNDARY_TRUSTED_PROXIES must be 0 (no proxy) or the number of proxies in front.")
    problems += _sso_problems(settings)
    if settings.get("TOKEN_LIFETIME_HOURS") is not None and int(settings["TOKEN_LIFETIME_HOURS"]) < 1:
        problems.append("BOUNDARY_TOKEN_LIFETIME_HOURS must be 1 or more.")
    if settings.get("ENV") == "production":
        if not settings.get("SECRET_KEY") or len(str(settings["SECRET_KEY"])) < 32:
            problems.append("SECRET_KEY is missing or shorter than 32 characters: set a long random value.")
        if settings.get("DEMO_USERS"):
            problems.append("BOUNDARY_DEMO_USERS is on: demo users with the password 'demo' are not allowed in production.")
        if str(settings.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite:///:memory:"):
            problems.append("DATABASE_URL points at an in-memory database: every restart would lose all cases.")
        for key, variable in (("FORMS_DIR", "BOUNDARY_FORMS_DIR"), ("WORKFLOWS_DIR", "BOUNDARY_WORKFLOWS_DIR")):
            if settings.get(key) is not None and not Path(str(settings[key])).is_dir():
                problems.append(f"{variable} is {settings[key]}, which is not a folder.")
    return problems


def settings_warnings(settings: dict[str, object]) -> list[str]:
    """Choices that let a production start go ahead but that an operator should see in the log."""
    found = []
    if settings.get("ENV") == "production" and not settings.get("MAIL_SMTP_HOST"):
        found.append("BOUNDARY_SMTP_HOST is not set: no email is sent (letters and task emails stay in the "
                     "outbox page). Set it to the office's SMTP server to send them.")
    return found


def _sso_problems(settings: dict[str, object]) -> list[str]:
    from .domain.people.roles import ROLES

    problems = []
    mapping = settings.get("OIDC_GROUP_ROLES") or {}
    if not isinstance(mapping, dict):
        return ["BOUNDARY_OIDC_GROUP_ROLES must be a JSON object of groups to lists of role keys."]
    unknown = sorted({role for roles in mapping.values() for role in ([roles] if isinstance(roles, str) else roles)
                      if role not in ROLES})
    if unknown:
        problems.append(f"BOUNDARY_OIDC_GROUP_ROLES names unknown roles: {', '.join(unknown)}. "
                        f"Known roles: {', '.join(ROLES)}.")
    sso = bool(settings.get("OIDC_ISSUER") and settings.get("OIDC_CLIENT_ID"))
    if not settings.get("LOCAL_PASSWORDS", True) and not sso:
        problems.append("BOUNDARY_LOCAL_PASSWORDS is off but single sign-on is not configured "
                        "(BOUNDARY_OIDC_ISSUER, BOUNDARY_OIDC_CLIENT_ID): nobody could sign in.")
    if sso and settings.get("ENV") == "production":
        if not settings.get("OIDC_CLIENT_SECRET"):
            problems.append("BOUNDARY_OIDC_CLIENT_SECRET is not set: the provider will refuse Boundary.")
        if not str(settings["OIDC_ISSUER"]).startswith("https://"):
            problems.append("BOUNDARY_OIDC_ISSUER must be an https:// address in production.")
    return problems


def _database_problems(url, production: bool) -> list[str]:
    if not url:
        return (["DATABASE_URL is not set: production needs its database named, e.g. "
                 "postgresql+psycopg://boundary:PASSWORD@db-host:5432/boundary."] if production else [])
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        parsed = make_url(str(url))
    except ArgumentError:
        return ["DATABASE_URL is not a database URL: write it as "
                "postgresql+psycopg://user:password@host:5432/name (or sqlite:////absolute/path.sqlite)."]
    if parsed.get_backend_name() not in {"postgresql", "sqlite"}:
        return [f"DATABASE_URL uses '{parsed.get_backend_name()}': Boundary runs on PostgreSQL or SQLite."]
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        return [f"DATABASE_URL asks for the driver '{parsed.get_driver_name()}', which is not installed: "
                "write postgresql+psycopg://..."]
    return []


def _is_duration(value) -> bool:
    import isodate
    try:
        isodate.parse_duration(str(value))
    except (isodate.ISO8601Error, ValueError):
        return False
    return True


def _development_secret() -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    path = CHECKOUT / "instance" / "secret_key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
