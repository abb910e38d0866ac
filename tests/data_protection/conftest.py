"""Data protection drives the shipped process with an office's letterhead (``letters_app``, in the plugin)."""
from __future__ import annotations

import pytest

from process_driver import Driver


@pytest.fixture
def driver(letters_app):
    return Driver(letters_app.test_client())
