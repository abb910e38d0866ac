"""Monitoring drives the shipped process as tests/process does (``process_app`` is in the plugin)."""
from __future__ import annotations

import pytest

from process_driver import Driver


@pytest.fixture
def driver(process_app):
    return Driver(process_app.test_client())
