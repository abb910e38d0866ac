"""Signed-in browsers (Flask test clients) on the shipped workflows (``web_app``, in tests/fixtures_plugin.py).
Helpers (``Staff``, ``main_text``, ``csrf``, ``INCIDENT_FORM``) are in tests/web_support.py."""
from __future__ import annotations

import pytest

from service.extensions import db
from web.case_setup import CaseSetup
from web_support import INCIDENT_FORM, Staff


@pytest.fixture
def query(web_app):
    """Run a database query in a short app context of its own."""
    def run(fn):
        with web_app.app_context():
            return fn(db.session)
    return run


@pytest.fixture
def staff(web_app):
    cache = {}

    def sign_in(username):
        if username not in cache:
            cache[username] = Staff(web_app, username)
        return cache[username]
    return sign_in


@pytest.fixture
def setup(web_app):
    return CaseSetup(web_app)


@pytest.fixture
def recorded_case(staff):
    response = staff("case_officer").post_form("/cases/new", INCIDENT_FORM)
    assert response.status_code == 302, response.text
    return int(response.location.rstrip("/").split("/")[-1])
