"""Fixtures for driving the shipped escalation process (the Driver is in tests/process_driver.py)."""
from __future__ import annotations

import pytest

from helpers import CHECKOUT, make_app
from process_driver import Driver
from service.extensions import db


@pytest.fixture
def process_app(tmp_path):
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def driver(process_app):
    return Driver(process_app.test_client())
