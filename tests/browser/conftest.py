"""Browser tests: the app served on loopback, driven by Playwright in Debian's Chromium.

``live_server`` runs the real app (file SQLite, shipped or fixture workflows)
in a thread; ``page`` is a fresh Chromium page. Helpers are in tests/browser_support.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import LiveServer
from helpers import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_app(tmp_path):
    """Override in a module to serve other workflows: ``make_app(tmp_path, workflows=...)``."""
    return make_app(tmp_path)


@pytest.fixture
def live_server(live_app):
    with LiveServer(live_app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: `make test` installs it (apt-get install chromium).")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
