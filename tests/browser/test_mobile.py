"""At 375 px (a phone): the inbox fits the screen, the service navigation collapses behind a
Menu button, and every page of a task passes axe-core, landmarks included (issue #21, item 7)."""
from __future__ import annotations

import pytest

from browser_support import AXE, axe_violations, sign_in
from helpers import CHECKOUT, make_app
from web.case_setup import CaseSetup

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")


def on_a_phone(browser, server, username):
    page = browser.new_context(viewport=PHONE).new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    sign_in(page, server, username)
    return page


def region_violations(page) -> list:
    """axe's ``region`` rule (moderate, so not in ``axe_violations``): content outside every landmark."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['region']})")
    return [n["target"] for v in result["violations"] for n in v["nodes"]]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_inbox_fits_and_the_menu_collapses(browser, live_server, live_app):
    setup = CaseSetup(live_app)
    for name in ("Sam Jones", "Alexandra Montgomery-Fotheringham"):
        setup.start(service_user_name=name)
    manager = on_a_phone(browser, live_server, "line_manager")
    assert fits(manager), "the inbox runs off the side of the screen"
    assert manager.is_visible("button.govuk-service-navigation__toggle")
    assert not manager.is_visible("#navigation a:has-text('Cases')")
    manager.click("button.govuk-service-navigation__toggle")
    assert manager.is_visible("#navigation a:has-text('Cases')")
    labels = manager.evaluate("""() => [...document.querySelectorAll('table.boundary-inbox tbody tr:first-child td')]
        .map(td => getComputedStyle(td, '::before').content)""")
    assert labels == ['"Task"', '"Person and matter"', '"Waiting since"', '"Due"', '"Who is on it"']
    assert axe_violations(manager) == [] and region_violations(manager) == []
    assert manager.console_errors == []


def test_on_a_phone_a_task_page_keeps_everything_in_a_landmark(browser, live_server, live_app):
    setup = CaseSetup(live_app)
    task = setup.task(setup.start(), "manager_review")
    manager = on_a_phone(browser, live_server, "line_manager")
    manager.goto(f"{live_server.url}/tasks/{task.id}")
    assert manager.locator("main .govuk-back-link").count() == 1
    assert fits(manager)
    assert axe_violations(manager) == [] and region_violations(manager) == []
    manager.goto(f"{live_server.url}/cases/1")
    assert fits(manager) and axe_violations(manager) == [] and region_violations(manager) == []


def test_on_a_wide_screen_the_menu_is_open_without_a_button(browser, live_server):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, live_server, "line_manager")
    assert not page.is_visible("button.govuk-service-navigation__toggle")
    assert page.is_visible("#navigation a:has-text('Cases')")


def test_on_a_phone_a_review_and_a_strategy_case_fit_and_pass_axe(browser, live_server, live_app):
    from web.test_task_deciding import active_strategy
    setup = CaseSetup(live_app)
    case_id = active_strategy(setup)
    setup.send(case_id, "contact_received", {"contact_date": "2026-03-01", "channel": "email",
                                             "summary": "A long message about the same matter " * 5})
    officer = on_a_phone(browser, live_server, "case_officer")
    officer.goto(f"{live_server.url}/tasks/{setup.task(case_id, 'review_incoming_contact').id}")
    assert "What you are deciding" in officer.inner_text("main")
    assert fits(officer) and axe_violations(officer) == [] and region_violations(officer) == []
    officer.goto(f"{live_server.url}/cases/{case_id}?order=newest")
    assert "Contact strategy in force" in officer.inner_text("main")
    assert fits(officer) and axe_violations(officer) == [] and region_violations(officer) == []
    officer.goto(f"{live_server.url}/policies#cle-9-6")
    assert fits(officer) and axe_violations(officer) == [] and region_violations(officer) == []
    assert officer.console_errors == []
