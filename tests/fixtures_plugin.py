"""The fixtures every test package shares, in one plugin (registered by tests/conftest.py).

Each app is on its own database: a copy of a template built once per test
process (tests/db_templates.py), so a test may commit, use several
connections or processes, and never sees another test's rows.

- ``app`` (context pushed), ``client``, ``as_user(name)``: the fixture workflows;
- ``process_app``, ``letters_app`` (an office's letterhead), ``web_app`` (no
  context pushed): the shipped workflows and forms;
- ``frozen_clock``: every test starts at 2026-03-02 09:00 UTC;
- ``cached_specs_unchanged``: after each test, no app's cached specs changed;
- ``remembered_password_checks``: a (hash, password) pair scrypt already
  checked is answered from memory (opt out: ``real_password_checks``).

Tests marked ``slow`` are collected first, for pytest-xdist's sake.

- ``sso_settings``, ``sso_app``, ``sso_server``, ``provider``: Boundary served on
  loopback against a real OpenID provider (tests/sso_support.py), for tests/sso
  and tests/browser.

Helpers (not fixtures) are in support modules beside this one (web_support,
letter_support, mail_support, sso_support, browser_support, process_driver);
no test imports from a conftest (tests/test_test_layout.py).

A package's ``driver`` fixture (tests/process_driver.py) is defined in its own
conftest on the app it drives.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

import db_templates
from browser_support import LiveServer
from helpers import BUILT_APPS, CHECKOUT, OFFICE, ApiClient, make_app, released, shipped_app
from service.domain.people import users
from service.engine import clock
from service.extensions import db
from sso_support import SSO_SETTINGS, OpenIdProvider


def pytest_collection_modifyitems(items):
    """Long tests first: under pytest-xdist each then starts at once on a worker of its own
    instead of being the last thing the run waits for."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # a stable sort keeps the rest in order


def pytest_sessionfinish(session):
    """Each test process (each xdist worker) removes its templates and stops its PostgreSQL server
    here: a worker process may end without running ``atexit`` handlers."""
    db_templates.remove_templates()
    import pg_server
    pg_server.stop()


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    yield clock
    clock.reset()


@pytest.fixture(autouse=True)
def cached_specs_unchanged():
    """After every test, no cached spec of any app it built changed (issue #17: specs are shared)."""
    yield
    try:
        for built in BUILT_APPS:
            built.extensions["boundary.bundles"].verify_all()
    finally:
        BUILT_APPS.clear()


_checked: dict[tuple[str, str], bool] = {}


@pytest.fixture(autouse=True)
def remembered_password_checks(request, monkeypatch):
    """A scrypt check costs 0.1-0.6 s and every test signs its demo users in afresh (an API token or
    a session per user). ``check_password_hash`` is a pure function of (hash, password): a pair
    checked once answers from memory, so every answer is still scrypt's own. Hashing is untouched."""
    if request.node.get_closest_marker("real_password_checks"):
        return
    real = users.check_password_hash

    def check(pwhash: str, password: str) -> bool:
        key = (pwhash, password)
        if key not in _checked:
            _checked[key] = real(pwhash, password)
        return _checked[key]
    monkeypatch.setattr(users, "check_password_hash", check)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_user(client):
    cache = {}

    def get(username: str) -> ApiClient:
        if username not in cache:
            cache[username] = ApiClient(client, username)
        return cache[username]

    return get


@pytest.fixture
def process_app(tmp_path):
    """The shipped escalation process, context pushed."""
    with released(shipped_app(tmp_path)) as app:
        yield app


@pytest.fixture
def letters_app(tmp_path):
    """The shipped process with an office's letterhead configured, context pushed."""
    with released(shipped_app(tmp_path, **OFFICE)) as app:
        yield app


@pytest.fixture
def web_app(tmp_path):
    """The shipped workflows with no app context pushed: each request gets its own ``g``
    (Flask-WTF keeps the CSRF token there)."""
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sso_settings() -> dict:
    """Override in a module for other settings (e.g. passwords off)."""
    return SSO_SETTINGS


@pytest.fixture
def sso_app(tmp_path, sso_settings):
    return make_app(tmp_path, **sso_settings)


@pytest.fixture
def sso_server(sso_app):
    with LiveServer(sso_app) as server:
        yield server


@pytest.fixture
def provider(sso_app, sso_server):
    started = OpenIdProvider(f"{sso_server.url}/sign-in/sso/callback", f"{sso_server.url}/sign-in")
    sso_app.config["OIDC_ISSUER"] = started.issuer  # its port is known only now
    yield started
    started.stop()
