"""Shared fixtures: an app on a fresh database, API clients per role, the clock."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from service import create_app
from service.cli import create_schema, shipped_workflows
from service.domain import users
from service.domain.definitions import deploy
from service.domain.transaction import transaction
from service.engine import clock
from service.extensions import db
from service.services import context

FIXTURES = Path(__file__).parent / "fixtures"
CHECKOUT = Path(__file__).parent.parent


def make_app(tmp_path: Path, database: str = "file", workflows: Path | None = None, forms: Path | None = None,
             process: str = "fixture_process", **extra):
    url = "sqlite:///:memory:" if database == "memory" else f"sqlite:///{tmp_path / 'boundary.sqlite'}"
    if database not in ("memory", "file"):
        url = database
    app = create_app({
        "TESTING": True, "ENV": "testing", "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": url, "DEMO_USERS": True,
        "WORKFLOWS_DIR": workflows or FIXTURES / "workflows", "FORMS_DIR": forms or FIXTURES / "forms",
        "DEFAULT_PROCESS": process, "WTF_CSRF_ENABLED": True, **extra,
    })
    if url == "sqlite:///:memory:":
        from sqlalchemy.pool import StaticPool
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    with app.app_context():
        create_schema()
        with transaction(db.session):
            deploy(context(), shipped_workflows(app.config["WORKFLOWS_DIR"]), "system", "fixture")
            users.seed_demo_users(db.session)
    return app


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    yield clock
    clock.reset()


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


class ApiClient:
    """A test client speaking as one user with a bearer token."""

    def __init__(self, client, username: str, password: str = "demo"):
        self.client = client
        response = client.post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        self.headers = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self.headers, **kw)


@pytest.fixture
def as_user(client):
    cache = {}

    def get(username: str) -> ApiClient:
        if username not in cache:
            cache[username] = ApiClient(client, username)
        return cache[username]

    return get
