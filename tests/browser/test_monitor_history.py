"""History on the case diagram in Debian's Chromium (issue #22): a case that went through two
breaches (one tightening the strategy), and a dispute varying it, shows that work done, with
counts, inside the called processes the engine no longer holds; an incident is marked red."""
from __future__ import annotations

import pytest

from browser_support import axe_violations, sign_in
from helpers import CHECKOUT, make_app
from journeys import breach_amendment_and_dispute
from process_driver import Driver
from service.engine import clock
from service.extensions import db
from service.models import EngineIncident


@pytest.fixture
def live_app(tmp_path):
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        case_id = breach_amendment_and_dispute(Driver(app.test_client()))
        db.session.add(EngineIncident(case_id=case_id, element_id="contact_strategy", title="Contact strategy",
                                      action="send_message", actor="case_officer", error="x", created_at=clock.now()))
        db.session.commit()
    return app


def test_completed_breach_amendment_and_dispute_work_is_marked_with_counts(page, live_server):
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/monitoring/cases/1")
    page.wait_for_selector("#diagram[data-ready=true][data-history=true]")
    for element in ("on_breach_reported", "breach_from_report", "on_dispute_received", "handle_dispute"):
        assert page.locator(f'.djs-element[data-element-id="{element}"].done').count() == 1, element
    assert page.inner_text('[data-done-count-for="breach_from_report"]') == "\u00d72"
    incident = page.locator('[data-incident-for="contact_strategy"]')
    assert incident.is_visible() and "could not move on" in incident.get_attribute("title")
    assert page.locator('.djs-element[data-element-id="contact_strategy"].incident').count() == 1
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/monitoring/cases/1?process=strategy_amendment")
    page.wait_for_selector("#diagram[data-ready=true][data-history=true]")
    for element in ("authorise_amendment", "notify_strategy_change", "amendment_done"):
        assert page.locator(f'.djs-element[data-element-id="{element}"].done').count() == 1, element
    assert page.locator('.djs-element[data-element-id="revise_amendment"].done').count() == 0
    assert page.inner_text('[data-done-count-for="authorise_amendment"]') == "\u00d72"
    assert "Authorise the change to the strategy: done 2 times" in page.inner_text("#element-history")

    page.goto(f"{live_server.url}/monitoring/cases/1?process=breach_handling")
    page.wait_for_selector("#diagram[data-ready=true][data-history=true]")
    assert page.inner_text('[data-done-count-for="handle_breach"]') == "\u00d72"
    assert page.locator('.djs-element[data-element-id="escalate_breach"].done').count() == 1
    assert page.console_errors == []
