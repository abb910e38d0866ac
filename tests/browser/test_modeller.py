"""The modeller in Debian's Chromium: the diagram renders, a label change is checked and deployed
as a new version, an invalid condition is marked on its flow and blocks the deploy, running cases
move with progress, a form's preview follows the editor, and the pages pass axe-core."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from browser_support import axe_violations, sign_in
from helpers import FIXTURES, ApiClient, make_app

INCIDENT = {"service_user_name": "Alex Smith", "matter_reference": "M-100", "incident_date": "2026-03-01",
            "wait_period": "P3M"}


@pytest.fixture
def live_app(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(FIXTURES / "forms", forms)  # the form editor writes here
    app = make_app(tmp_path, forms=forms)
    yield app
    close_database(app)


def close_database(app) -> None:
    """Close the served app's connections once its server stopped (PostgreSQL runs would
    otherwise leave them for the garbage collector, a ResourceWarning in some later test)."""
    from service.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def open_modeller(page, server, process_id: str = "fixture_process") -> None:
    sign_in(page, server, "process_owner")
    page.goto(f"{server.url}/modeller/processes")
    page.click(f"a[href='/modeller/processes/{process_id}/edit']")
    page.wait_for_selector("#modeller[data-loaded='true']", state="attached", timeout=20000)


def select(page, element_id: str) -> None:
    """Click an element on the canvas as a person would: a shape in its middle, a flow near
    its end (flows leaving a gateway share their first stretch)."""
    hit = page.locator(f".djs-element[data-element-id='{element_id}'] .djs-hit").first
    box = hit.bounding_box()
    connection = page.locator(f".djs-connection[data-element-id='{element_id}']").count() > 0
    position = {"x": box["width"] - 6, "y": box["height"] / 2} if connection else None
    hit.click(force=True, position=position)
    page.wait_for_selector(f".djs-element.selected[data-element-id='{element_id}']", state="attached")


def open_group(page, label: str) -> None:
    header = page.locator(".bio-properties-panel-group-header", has_text=label).first
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def versions(server) -> list[int]:
    with server.app.app_context():
        from service.models import ProcessVersion
        return sorted(v.number for v in ProcessVersion.query.all())


def confirm_deploy(page, note: str) -> None:
    """Deploy, read the confirm step's changes, give the note and confirm (issue #22)."""
    page.click("#deploy-button")
    page.wait_for_selector("#deploy-confirm:not([hidden])")
    page.fill("#deploy-note", note)
    page.click("#deploy-confirm-button")


def test_the_modeller_renders_the_fixture_diagram_without_console_errors(page, live_server):
    open_modeller(page, live_server)
    for element in ("start", "first_review", "approve", "decide", "wait", "timed_out", "follow_up", "f_yes"):
        assert page.locator(f".djs-element[data-element-id='{element}']").count() == 1, element
    assert page.locator(".djs-shape").count() >= 14
    assert page.locator(".bjs-powered-by").is_visible()  # the bpmn.io watermark stays
    assert "Showing simple.bpmn" in page.inner_text("#modeller-status")
    select(page, "first_review")
    open_group(page, "Boundary")
    assert page.input_value("#boundary-formJsonSchemaFilename") == "fixture_review.schema.json"
    assert page.input_value("#boundary-stage") == "manager_review"
    assert page.input_value("#boundary-clauses") == "TEST 1.1"
    assert page.console_errors == []


def test_a_label_change_is_checked_and_deployed_as_a_new_version(page, live_server):
    open_modeller(page, live_server)
    select(page, "approve")
    open_group(page, "General")
    name = page.locator("#bio-properties-panel-name")
    name.fill("Sign off")
    name.press("Tab")
    page.wait_for_selector(".djs-element[data-element-id='approve'] text:has-text('Sign off')")
    page.click("#validate-button")
    page.wait_for_function("() => document.getElementById('modeller-status').textContent.includes('No problems')")
    page.click("#deploy-button")
    page.wait_for_selector("#deploy-confirm:not([hidden])")
    changed = page.locator("#deploy-confirm-changes li[data-element-id='approve']")
    assert "name: 'Approve' → 'Sign off'" in changed.inner_text()
    assert axe_violations(page) == []  # the confirm step, as people read it
    page.click("#deploy-confirm-button")  # no note yet: the step asks for one and deploys nothing
    page.wait_for_selector("#deploy-note-error:not([hidden])")
    assert versions(live_server) == [1]
    page.fill("#deploy-note", "Approval is a sign-off now")
    page.click("#deploy-confirm-button")
    page.wait_for_selector("#modeller-success:not([hidden])")
    assert "Deployed version 2" in page.inner_text("#modeller-success")
    assert versions(live_server) == [1, 2]
    with live_server.app.app_context():
        from service.models import ProcessVersion
        v2 = ProcessVersion.query.filter_by(number=2).one()
        text = v2.files["simple.bpmn"]
        assert 'name="Sign off"' in text and "<spiffworkflow:messageVariable>nudge" in text
        assert v2.note == "Approval is a sign-off now" and v2.deployed_by == "process_owner"
    page.goto(f"{live_server.url}/modeller/processes")
    newest = page.locator("tr[data-version='2']")
    assert "Current" in newest.inner_text() and "Approval is a sign-off now" in newest.inner_text()
    assert page.console_errors == []


def test_an_invalid_condition_is_marked_on_its_flow_and_blocks_deploy(page, live_server):
    open_modeller(page, live_server)
    select(page, "f_yes")
    open_group(page, "Condition")
    condition = page.locator("#boundary-condition")
    assert condition.input_value() == 'decision == "approve"'
    condition.fill("__import__('os').system('echo owned')")
    condition.press("Tab")
    page.click("#deploy-button")
    page.wait_for_selector(".djs-element.boundary-problem[data-element-id='f_yes']", state="attached")
    note = page.locator(".djs-overlays[data-container-id='f_yes'] .boundary-problem-note")
    assert note.count() == 1 and "refused" in note.text_content().lower()
    summary = page.locator("#modeller-problems")
    assert summary.is_visible() and "f_yes" in summary.inner_text()
    assert "Nothing was deployed" in page.inner_text("#modeller-status")
    assert versions(live_server) == [1]
    summary.locator("a").first.click()  # the summary takes the owner to the flow
    page.wait_for_selector(".djs-element.selected[data-element-id='f_yes']", state="attached")
    assert note.locator(".boundary-problem-note__text").is_visible()  # the selected flow's note opens
    # Chromium logs every 4xx answer to fetch(); the deploy's 422 refusal is the expected one.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_the_panel_sets_what_boundary_reads_and_the_deploy_keeps_it(page, live_server):
    open_modeller(page, live_server)
    select(page, "first_review")
    open_group(page, "Documentation")
    page.fill("#bio-properties-panel-documentation", "Read the record and the contact log.")
    page.press("#bio-properties-panel-documentation", "Tab")
    # the stock field writes after a short debounce: wait for it before the clauses change the same text
    page.wait_for_function("() => (window.BoundaryModeller.modeler.get('elementRegistry').get('first_review')"
                           ".businessObject.documentation[0] || {}).text === 'Read the record and the contact log.'")
    open_group(page, "Boundary")
    page.select_option("#boundary-role", "lane_manager")  # the lane, by its id
    page.select_option("#boundary-formJsonSchemaFilename", "fixture_approve.schema.json")
    page.select_option("#boundary-stage", "warning")
    page.fill("#boundary-dueIn", "P5D")
    page.press("#boundary-dueIn", "Tab")
    page.fill("#boundary-clauses", "CLE 9.11, SCO 6.1")
    page.press("#boundary-clauses", "Tab")
    select(page, "timed_out")
    open_group(page, "Timer")
    page.fill("#bio-properties-panel-timerEventDefinitionValue", '"P2M"')
    page.press("#bio-properties-panel-timerEventDefinitionValue", "Tab")
    page.wait_for_function("() => window.BoundaryModeller.modeler.get('elementRegistry').get('timed_out')"
                           ".businessObject.eventDefinitions[0].timeDuration.body === '\"P2M\"'")
    select(page, "f_yes")
    open_group(page, "Condition")
    page.fill("#boundary-condition", 'decision == "approve" and not report_to_police')
    page.press("#boundary-condition", "Tab")
    confirm_deploy(page, "Boundary properties set in the panel")
    page.wait_for_selector("#modeller-success:not([hidden])")
    with live_server.app.app_context():
        from service.domain.core.context import BundleCache
        from service.models import ProcessVersion
        bundle = BundleCache().get(ProcessVersion.query.filter_by(number=2).one())
        task = bundle.elements["first_review"]
        assert task.lane == "Line Manager"
        assert task.properties == {"formJsonSchemaFilename": "fixture_approve.schema.json", "stage": "warning",
                                   "dueIn": "P5D"}
        assert task.documentation == "Read the record and the contact log. (CLE 9.11, SCO 6.1)"
        text = ProcessVersion.query.filter_by(number=2).one().files["simple.bpmn"]
        assert re.search(r'<bpmn:timeDuration[^>]*>"P2M"</bpmn:timeDuration>', text)
        assert re.search(r'<bpmn:conditionExpression[^>]*>decision == "approve" and not report_to_police<', text)
    assert page.console_errors == []


def test_running_cases_move_with_progress_and_a_summary(page, live_server):
    api = ApiClient(live_server.app.test_client(), "case_officer")
    cases = [api.post("/api/v1/cases", json={**INCIDENT, "matter_reference": f"M-{n}"}).get_json()["id"]
             for n in range(3)]
    open_modeller(page, live_server)
    select(page, "first_review")
    open_group(page, "General")
    page.fill("#bio-properties-panel-name", "First look")
    page.press("#bio-properties-panel-name", "Tab")
    confirm_deploy(page, "First look")
    page.click("#modeller-success a")  # "Move running cases to version 2"
    page.wait_for_selector("#migrate-form")
    assert page.locator("tr[data-movable='true']").count() == 3
    assert axe_violations(page) == []
    page.click("button[value='all']")
    page.wait_for_selector("#migrate-summary:not([hidden])")
    assert "3 moved, 0 refused" in page.inner_text("#summary-panel")
    assert page.get_attribute("#migrate-progress-bar", "value") == "3"
    assert sorted(int(i) for i in page.locator("#moved-list li").evaluate_all(
        "items => items.map(i => i.dataset.caseId)")) == cases
    assert page.console_errors == []


def test_the_form_preview_follows_the_editor(page, live_server):
    sign_in(page, live_server, "process_owner")
    page.goto(f"{live_server.url}/modeller/forms/fixture_review.schema.json/edit")
    page.get_by_role("tab", name="Advanced: JSON").click()
    schema = json.loads(page.input_value("#schema"))
    schema["properties"]["risk"] = {"type": "string", "title": "Risk level", "enum": ["low", "high"]}
    page.fill("#schema", "{ broken")
    page.wait_for_function("() => document.getElementById('schema-syntax').textContent.includes('Not valid JSON')")
    page.fill("#schema", json.dumps(schema, indent=2))
    page.wait_for_selector("#form-preview legend:has-text('Risk level')")
    assert axe_violations(page) == []
    page.click("button:has-text('Check and save')")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Risk level" in page.inner_text(".boundary-preview")
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/modeller/processes", "/modeller/forms", "/modeller/forms/fixture_start.schema.json",
                                  "/modeller/forms/new"])
def test_the_modeller_pages_pass_axe(page, live_server, path):
    sign_in(page, live_server, "process_owner")
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_editor_page_passes_axe(page, live_server):
    open_modeller(page, live_server)
    select(page, "first_review")
    open_group(page, "Boundary")
    assert axe_violations(page) == []
