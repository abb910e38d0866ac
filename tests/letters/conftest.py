"""Drive the shipped process with an office's letterhead (``letters_app``, in tests/fixtures_plugin.py),
and issue letters (helpers in tests/letter_support.py)."""
from __future__ import annotations

import pytest

from process_driver import Driver


@pytest.fixture
def driver(letters_app):
    return Driver(letters_app.test_client())
