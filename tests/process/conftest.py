"""Drive the shipped escalation process (``process_app`` is in tests/fixtures_plugin.py)."""
from __future__ import annotations

import pytest

from process_driver import Driver


@pytest.fixture
def driver(process_app):
    return Driver(process_app.test_client())
