"""Helpers shared by the test packages: an app on its own database and an API client."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import db_templates
from service import create_app
from service.cli import create_schema, shipped_workflows
from service.domain.core.transaction import transaction
from service.domain.definitions.versions import deploy
from service.domain.people import users
from service.extensions import db
from service.services import context

FIXTURES = Path(__file__).parent / "fixtures"
# Every app a test builds, so the suite can check after each test that no cached spec changed.
BUILT_APPS: list = []
CHECKOUT = Path(__file__).parent.parent
# The MIWG reference models (BPMN other tools wrote) sit beside the checkout, not in it.
MIWG_CORPUS = CHECKOUT.parent / "shared" / "corpus" / "miwg-reference"
OFFICE = {"OFFICE_NAME": "Office of the Police and Crime Commissioner for Anyshire",
          "OFFICE_ADDRESS": "Police HQ, 1 Station Road, Anytown, AN1 2BC",
          "CHIEF_EXECUTIVE_ADDRESS": "Chief Executive's Office, 3 Market Square, Anytown, AN1 7CE",
          "CHIEF_EXECUTIVE_EMAIL": "chief.executive@anyshire.example.org"}


def miwg_files() -> list:
    """The corpus's models; ``[None]`` when it is missing, so a test can say so (``no_miwg_corpus``)."""
    return sorted(MIWG_CORPUS.glob("*.bpmn")) or [None]


def no_miwg_corpus() -> None:
    """Skip on a developer's machine without the corpus; in CI (``CI=true``) its absence is a failure."""
    import pytest
    message = f"the MIWG reference corpus is missing: expected *.bpmn in {MIWG_CORPUS}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def default_database() -> str:
    """``BOUNDARY_TEST_DB=postgres`` runs every test on a real PostgreSQL server."""
    return os.environ.get("BOUNDARY_TEST_DB", "file")


def make_app(tmp_path: Path, database: str | None = None, workflows: Path | None = None, forms: Path | None = None,
             process: str = "fixture_process", **extra):
    """An app on its own database holding the schema, a deploy of ``workflows`` and the demo users.

    The default databases (``file``, ``postgres``) are copies of a template built
    once per test process (tests/db_templates.py); ``memory`` or a URL is built here.
    """
    database = database or default_database()
    workflows, forms = workflows or FIXTURES / "workflows", forms or FIXTURES / "forms"
    base = {"WORKFLOWS_DIR": workflows, "FORMS_DIR": forms, "DEFAULT_PROCESS": process}
    settings = {**base, **extra}
    key = db_templates.template_key(database, workflows, forms)
    if key is not None:  # the template's content depends on the key alone, so it is built without ``extra``
        template = db_templates.template_for(key, lambda url: _fill(_create(url, base)))
        url = template.copy_url(tmp_path)
        if url is not None:
            app = _create(url, settings)
            template.give_bundles(app)
            return app
    if database == "postgres":
        from pg_server import server
        url = server().new_database()
    elif database == "memory":
        url = "sqlite:///:memory:"
    elif database == "file":
        url = f"sqlite:///{tmp_path / 'boundary.sqlite'}"
    else:
        url = database
    app = _create(url, settings)
    _fill(app, dispose=False)
    return app


def _create(url: str, settings: dict):
    app = create_app({
        "TESTING": True, "ENV": "testing", "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": url, "DEMO_USERS": True, "WTF_CSRF_ENABLED": True, **settings,
    })
    BUILT_APPS.append(app)
    if url == "sqlite:///:memory:":
        from sqlalchemy.pool import StaticPool
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    return app


def _fill(app, dispose: bool = True) -> dict:
    """Schema, a deploy of the app's workflows, the demo users; returns the parsed bundles by version id.
    ``dispose`` closes every connection, as a template must be left (SQLite then checkpoints its WAL)."""
    with app.app_context():
        create_schema()
        with transaction(db.session):
            version = deploy(context(), shipped_workflows(app.config["WORKFLOWS_DIR"]), "system", "fixture")
            users.seed_demo_users(db.session)
            bundles = {version.id: context().bundles.get(version)}
        if dispose:
            db.session.remove()
            db.engine.dispose()
    return bundles


def shipped_app(tmp_path: Path, **settings):
    """An app on the shipped escalation process and forms."""
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management",
                    **settings)


@contextmanager
def released(app, pushed: bool = True):
    """Yield ``app`` (with its context pushed unless ``pushed=False``), then let go of its database."""
    if pushed:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
        return
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class ApiClient:
    """A test client speaking as one user with a bearer token."""

    def __init__(self, client, username: str, password: str = "demo"):
        self.client = client
        response = client.post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        self.headers = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def get(self, url, **kw):
        return self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)
