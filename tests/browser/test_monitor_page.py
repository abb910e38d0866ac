"""The monitor page draws the case on its diagram with markers and drills into called processes;
the dashboard draws its chart."""
from __future__ import annotations

import pytest

from browser_support import axe_violations, sign_in
from helpers import CHECKOUT, make_app
from process_driver import Driver


@pytest.fixture
def live_app(tmp_path):
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        Driver(app.test_client()).to_monitoring()
        Driver(app.test_client()).start()
        Driver(app.test_client()).start()
        Driver(app.test_client()).to_active_strategy()
    return app


def test_monitor_page_marks_the_case_and_dashboard_charts(page, live_server):
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/monitoring/cases/1")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator('[data-element-id="issue_warning"].done').count() == 1
    assert page.locator('[data-element-id="monitoring"].active').count() == 1
    assert page.locator('[data-element-id="monitoring_period"].waiting').count() == 1
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/monitoring")
    page.wait_for_function("() => window.boundaryChart !== undefined")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.inner_text('[data-count-for="manager_review"]') == "2"  # two cases wait for a manager
    assert page.evaluate("window.boundaryChart.data.datasets[0].data.reduce((a, b) => a + b, 0)") == 4
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_selecting_a_call_activity_opens_the_called_process_with_its_marks(page, live_server):
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/monitoring/cases/4")
    page.wait_for_selector("#diagram[data-ready=true]")
    call = page.locator('.djs-element[data-element-id="contact_strategy"]')
    assert "drillable" in call.get_attribute("class") and "active" in call.get_attribute("class")
    call.click()
    page.wait_for_url("**/monitoring/cases/4?process=contact_strategy")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator('[data-element-id="strategy_start"].done').count() == 1
    assert page.locator('[data-element-id="review_due"].active').count() == 1
    assert page.locator('[data-element-id="review_due"].waiting').count() == 1
    assert page.locator('[data-element-id="amend_after_review"].drillable').count() == 1
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/monitoring/cases/2")  # a task waiting: the reassign form with its reason
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.get_by_label("Reason (goes on the case's record)").count() == 2  # supervisor action and reassign
    assert axe_violations(page) == []
    page.go_back()
    page.wait_for_selector("#diagram[data-ready=true]")
    page.get_by_role("link", name="Main process (contact management)").click()
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator('[data-element-id="contact_strategy"].active').count() == 1
    assert page.console_errors == []
