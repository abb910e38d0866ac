"""Called processes open in the browser, and a new diagram starts from one that deploys
(issue #22): in the modeller each call activity links to the called process's diagram, and
on the monitor page a called process not reached yet still opens (its definition, unmarked)."""
from __future__ import annotations

import shutil

import pytest

from browser_support import axe_violations, sign_in
from helpers import CHECKOUT, make_app
from process_driver import Driver
from test_modeller import close_database, confirm_deploy, open_modeller


@pytest.fixture
def live_app(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(CHECKOUT / "forms", forms)
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=forms, process="contact_management")
    with app.app_context():
        Driver(app.test_client()).start()
    yield app
    close_database(app)


def test_a_call_activity_opens_the_called_diagram(page, live_server):
    open_modeller(page, live_server, "contact_management")
    page.wait_for_selector("#called-processes-block:not([hidden])")
    item = page.locator("#called-processes li[data-call='police_for_incident']")
    assert "Consider the police: open police consideration" in item.inner_text()
    assert page.locator(".djs-overlays[data-container-id='police_for_incident'] a.boundary-call-link").count() == 1
    assert axe_violations(page) == []
    with page.context.expect_page() as opened:
        item.get_by_role("link").click()
    called = opened.value
    called.wait_for_selector("#modeller[data-loaded='true']", state="attached", timeout=20000)
    assert called.locator(".djs-element[data-element-id='consider_police_report']").count() == 1
    assert "police_consideration.bpmn" in called.inner_text("#modeller-status")
    called.close()
    assert page.console_errors == []


def test_a_new_diagram_checks_clean_and_deploys_as_a_new_process(page, live_server):
    open_modeller(page, live_server, "contact_management")
    page.get_by_role("button", name="Start a new diagram").click()
    page.wait_for_function("() => document.getElementById('modeller-status').textContent.includes('new diagram')")
    assert page.locator(".djs-element[data-element-id='new_process_start']").count() == 1
    assert page.locator(".djs-element[data-element-id='manager_review']").count() == 0
    assert page.locator("#called-processes-block").is_hidden()
    page.click("#validate-button")
    page.wait_for_function("() => document.getElementById('modeller-status').textContent.includes('No problems')")
    confirm_deploy(page, "A new process")
    page.wait_for_selector("#modeller-success:not([hidden])")
    assert "Deployed version 1" in page.inner_text("#modeller-success")
    with live_server.app.app_context():
        from service.models import ProcessVersion
        assert ProcessVersion.query.filter_by(process_id="new_process").count() == 1
    assert page.console_errors == []


def test_the_monitor_page_opens_a_called_process_not_reached_yet(page, live_server):
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/monitoring/cases/1")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert "not reached" in page.locator("#called-processes li", has_text="Contact strategy in force").inner_text()
    page.locator(".djs-element[data-element-id='contact_strategy']").click()
    page.wait_for_url("**/monitoring/cases/1?process=contact_strategy")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator("[data-element-id='review_contact_strategy']").count() == 1
    assert page.locator(".done, .active").count() == 0
    assert page.console_errors == []
