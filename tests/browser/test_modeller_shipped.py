"""The modeller on the shipped escalation diagrams, in Debian's Chromium: the main diagram
renders, its Boundary properties show in the panel, it checks clean, and a label change
deploys as a new version that still calls its sub-processes."""
from __future__ import annotations

import shutil

import pytest

from helpers import CHECKOUT, make_app
from test_modeller import close_database, open_group, open_modeller, select

SHIPPED = sorted((CHECKOUT / "workflows").glob("*.bpmn"))
pytestmark = pytest.mark.skipif(not SHIPPED, reason="the shipped escalation diagrams are not in workflows/")


@pytest.fixture
def live_app(tmp_path):
    """The app with the shipped diagrams and a writable copy of the shipped forms."""
    forms = tmp_path / "forms"
    shutil.copytree(CHECKOUT / "forms", forms)
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=forms, process="contact_management")
    yield app
    close_database(app)


def test_the_shipped_diagram_renders_checks_clean_and_a_label_change_deploys(page, live_server):
    open_modeller(page, live_server, "contact_management")
    assert page.locator(".djs-shape").count() > 40
    for element in ("manager_review", "issue_warning", "review_monitoring", "propose_contact_strategy"):
        assert page.locator(f".djs-element[data-element-id='{element}']").count() == 1, element
    select(page, "manager_review")
    open_group(page, "Boundary")
    assert page.input_value("#boundary-formJsonSchemaFilename") == "manager_review.schema.json"
    assert page.input_value("#boundary-role") != ""  # it sits in a role's lane
    page.click("#validate-button")
    page.wait_for_function("() => document.getElementById('modeller-status').textContent.includes('No problems')")
    open_group(page, "General")
    page.fill("#bio-properties-panel-name", "Discuss the incident with the officer")
    page.press("#bio-properties-panel-name", "Tab")
    page.click("#deploy-button")
    page.wait_for_selector("#deploy-confirm:not([hidden])")
    page.fill("#deploy-note", "Clearer task name")
    page.click("#deploy-confirm-button")
    page.wait_for_selector("#modeller-success:not([hidden])")
    assert "Deployed version 2" in page.inner_text("#modeller-success")
    with live_server.app.app_context():
        from service.domain.core.context import BundleCache
        from service.models import ProcessVersion
        v2 = ProcessVersion.query.filter_by(process_id="contact_management", number=2).one()
        bundle = BundleCache().get(v2)
        assert bundle.elements["manager_review"].title == "Discuss the incident with the officer"
        assert set(bundle.subprocess_specs) >= {"breach_handling", "contact_strategy", "dispute_handling"}
    assert page.console_errors == []


def test_the_issue_walk_through_ends_with_the_broken_diagram_refused_and_named(page, live_server):
    """#22: the manager-review task's form set to "(none)" no longer checks clean or deploys."""
    open_modeller(page, live_server, "contact_management")
    select(page, "manager_review")
    open_group(page, "Boundary")
    page.select_option("#boundary-formJsonSchemaFilename", "")
    page.click("#validate-button")
    page.wait_for_function("() => document.getElementById('modeller-status').textContent.includes('Found 2 problems')")
    for element in ("manager_review", "manager_decision"):
        page.wait_for_selector(f".djs-element.boundary-problem[data-element-id='{element}']", state="attached")
    gateway = page.locator(".djs-overlays[data-container-id='manager_decision'] .boundary-problem-note")
    assert "'decision'" in gateway.text_content()
    page.click("#deploy-button")
    page.wait_for_function("() => document.getElementById('modeller-status').textContent.includes('Nothing was deployed')")
    assert page.locator("#deploy-confirm").is_hidden()
    with live_server.app.app_context():
        from service.models import ProcessVersion
        assert ProcessVersion.query.filter_by(process_id="contact_management").count() == 1
    assert page.console_errors == []
