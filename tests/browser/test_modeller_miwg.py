"""BPMN written by other tools, in the browser: each MIWG reference model opens in the modeller
with its elements drawn and no console errors, and "Check for problems" pins the server's
refusal to an element of the diagram."""
from __future__ import annotations

import pytest

from browser_support import sign_in
from helpers import make_app, miwg_files, no_miwg_corpus
from test_modeller import close_database

FILES = miwg_files()


@pytest.fixture
def live_app(tmp_path):
    app = make_app(tmp_path)
    yield app
    close_database(app)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name if p else "corpus-missing")
def test_each_reference_model_renders_and_its_problems_are_pinned(page, live_server, path):
    if path is None:
        no_miwg_corpus()
    sign_in(page, live_server, "process_owner")
    page.goto(f"{live_server.url}/modeller/processes/fixture_process/edit")
    page.wait_for_selector("#modeller[data-loaded='true']", state="attached", timeout=20000)
    page.set_input_files("#open-file", str(path))
    page.wait_for_function(f"() => document.getElementById('modeller-status').textContent.includes({path.name!r})")
    shapes = page.locator(".djs-shape:not(.djs-frame)").count()
    assert shapes > 1, f"{path.name} drew no shapes: {page.inner_text('#modeller-status')}"
    page.click("#validate-button")
    page.wait_for_function("() => /^(Found|No problems)/.test(document.getElementById('modeller-status').textContent)")
    status = page.inner_text("#modeller-status")
    if "No problems" not in status:
        named = page.locator("#modeller-problems li[data-element-id]:not([data-element-id=''])")
        assert named.count() > 0, page.inner_text("#modeller-problems")
        # a problem on an element with a shape is marked on the canvas
        assert page.locator(".djs-element.boundary-problem").count() > 0 or _only_shapeless(page)
    assert page.console_errors == []


def _only_shapeless(page) -> bool:
    """Every named element is one with no shape of its own (a process drawn without a pool)."""
    ids = page.locator("#modeller-problems li").evaluate_all("items => items.map(i => i.dataset.elementId)")
    return all(page.locator(f".djs-shape[data-element-id='{i}']").count() == 0 for i in ids)
