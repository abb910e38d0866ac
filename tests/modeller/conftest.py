"""Fixtures for the modeller: an app whose forms folder is a writable copy, a signed-in
process owner speaking to the pages (session cookie + CSRF), and helpers to start and
advance cases on the fixture diagram."""
from __future__ import annotations

import shutil

import pytest

from helpers import FIXTURES, make_app
from modeller_support import INCIDENT, PageClient
from service.domain.people import users
from service.extensions import db
from service.services import context


@pytest.fixture
def forms_dir(tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(FIXTURES / "forms", folder)
    return folder


@pytest.fixture
def app(tmp_path, forms_dir):
    app = make_app(tmp_path, forms=forms_dir)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    return context()


@pytest.fixture
def owner(ctx):
    return users.find_user(db.session, "process_owner")


@pytest.fixture
def pages(app):
    return PageClient(app.test_client(), "process_owner")


@pytest.fixture
def start_case(as_user):
    officer = as_user("case_officer")

    def start(**fields):
        response = officer.post("/api/v1/cases", json={**INCIDENT, **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return start


@pytest.fixture
def complete(as_user):
    """Complete the case's ready task (as whoever holds it) with ``data``."""
    def run(case: dict, data: dict, username: str | None = None) -> dict:
        task = case["ready_tasks"][0]
        user = username or {"line_manager": "line_manager"}.get(task["role"], "case_officer")
        response = as_user(user).post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return run
