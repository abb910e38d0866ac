"""Fixtures for driving the shipped escalation process (the Driver is in tests/process_driver.py)."""
from __future__ import annotations

import pytest

from helpers import released, shipped_app
from process_driver import Driver


@pytest.fixture
def process_app(tmp_path):
    with released(shipped_app(tmp_path)) as app:
        yield app


@pytest.fixture
def driver(process_app):
    return Driver(process_app.test_client())
