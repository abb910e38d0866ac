"""Shared fixtures: an app on a fresh database, API clients per role, the clock."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from helpers import BUILT_APPS, ApiClient, make_app
from service.engine import clock
from service.extensions import db


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
