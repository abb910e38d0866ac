"""Load and fault tests run real gunicorn workers against their own databases.

They make their own PostgreSQL database whatever ``BOUNDARY_TEST_DB`` says, so
they run once, in the first (SQLite) pass of ``make test``, and skip in the
PostgreSQL pass; ``BOUNDARY_LOAD_TESTS=always`` runs them in any pass.
"""
from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("BOUNDARY_TEST_DB") != "postgres" or os.environ.get("BOUNDARY_LOAD_TESTS") == "always":
        return
    skip = pytest.mark.skip(reason="load tests make their own PostgreSQL database and already ran in the first pass")
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(skip)
