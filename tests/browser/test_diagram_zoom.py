"""Diagrams people can read: the modeller, the monitor page and the dashboard open their
diagram fitted to its frame (every shape in view), and the zoom buttons change the zoom."""
from __future__ import annotations

import pytest

from browser_support import axe_violations, sign_in
from helpers import CHECKOUT, make_app
from process_driver import Driver
from test_modeller import close_database, open_modeller

FITS = """(id) => {
  const canvas = window.BoundaryZoom.viewers[id].get('canvas');
  const box = canvas.viewbox();
  const shapes = window.BoundaryZoom.viewers[id].get('elementRegistry')
    .filter(e => !e.waypoints && e.type !== 'label' && e.parent);
  const slack = box.width / 200;  // the zoom is rounded to three places
  const inside = s => s.x >= box.x - slack && s.y >= box.y - slack
    && s.x + s.width <= box.x + box.width + slack && s.y + s.height <= box.y + box.height + slack;
  return shapes.length > 10 && shapes.every(inside);
}"""
ZOOM = "(id) => window.BoundaryZoom.viewers[id].get('canvas').zoom()"


@pytest.fixture
def live_app(tmp_path):
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        Driver(app.test_client()).start()
    yield app
    close_database(app)


def check_zoom(page, container_id: str) -> None:
    page.wait_for_function(f"() => window.BoundaryZoom && window.BoundaryZoom.viewers['{container_id}']")
    assert page.evaluate(FITS, container_id), "the diagram opens with every shape in view"
    fitted = page.evaluate(ZOOM, container_id)
    assert page.get_by_role("status").filter(has_text="Zoom").inner_text() == f"Zoom {round(fitted * 100)}%"
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    zoomed = page.evaluate(ZOOM, container_id)
    assert zoomed == pytest.approx(fitted * 1.25 * 1.25, rel=0.01)
    assert not page.evaluate(FITS, container_id), "zoomed in, part of the diagram is out of view"
    assert page.get_by_role("status").filter(has_text="Zoom").inner_text() == f"Zoom {round(zoomed * 100)}%"
    page.get_by_role("button", name="Zoom out").click()
    assert page.evaluate(ZOOM, container_id) == pytest.approx(fitted * 1.25, rel=0.01)
    page.get_by_role("button", name="Fit the whole diagram").click()
    assert page.evaluate(FITS, container_id)
    assert page.evaluate(ZOOM, container_id) == pytest.approx(fitted, rel=0.01)


def test_the_monitor_page_and_dashboard_open_fitted_and_zoom(page, live_server):
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/monitoring/cases/1")
    page.wait_for_selector("#diagram[data-ready=true]")
    check_zoom(page, "diagram")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/monitoring")
    page.wait_for_selector("#diagram[data-ready=true]")
    check_zoom(page, "diagram")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_modeller_opens_fitted_and_zooms(page, live_server):
    open_modeller(page, live_server, "contact_management")
    check_zoom(page, "modeller-canvas")
    assert page.console_errors == []
