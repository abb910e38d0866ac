"""An engine failure on valid input is an incident for supervisors, not engine text for staff (issue #17)."""
from __future__ import annotations

import io
import re

import pytest

from helpers import CHECKOUT, ApiClient
from web_support import main_text

MAIN = (CHECKOUT / "workflows" / "contact_management.bpmn").read_text()
# A diagram fault no form check can catch: the condition fails on the very value the form allows.
BROKEN = MAIN.replace('decision == "address_behaviour"', 'int(decision) == 1')
INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date": "2026-03-01",
            "channel": "telephone", "behaviour_types": ["unreasonable_demands"], "description": "Phoned twenty times"}
DECISION = {"behaviour_unacceptable": True, "welfare_support_offered": False, "decision": "address_behaviour",
            "rationale": "Pattern"}
ENGINE_TEXT = ("SpiffWorkflow", " object at 0x", "Traceback", "ValueError", "invalid literal")


@pytest.fixture
def broken_case(web_app):
    client = web_app.test_client()
    owner = ApiClient(client, "process_owner")
    upload = owner.post("/api/v1/process-definitions", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(BROKEN.encode()), "contact_management.bpmn"), "note": "broken"})
    assert upload.status_code == 201, upload.get_json()
    case = ApiClient(client, "case_officer").post("/api/v1/cases", json=INCIDENT).get_json()
    return client, case


def test_the_api_answers_plainly_and_saves_nothing(broken_case):
    client, case = broken_case
    manager = ApiClient(client, "line_manager")
    [task] = case["ready_tasks"]

    response = manager.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": DECISION})

    body = response.get_json()
    assert response.status_code == 422 and body["error"] == "case_could_not_move_on"
    assert "could not move on" in body["message"] and "A supervisor has been told" in body["message"]
    assert not any(text in response.get_data(as_text=True) for text in ENGINE_TEXT)
    after = ApiClient(client, "supervisor").get(f"/api/v1/cases/{case['id']}").get_json()
    assert [t["id"] for t in after["ready_tasks"]] == [task["id"]] and after["stage"] == case["stage"]


def test_the_dashboard_lists_the_incident_until_a_supervisor_resolves_it(broken_case, staff):
    client, case = broken_case
    [task] = case["ready_tasks"]
    ApiClient(client, "line_manager").post(f"/api/v1/tasks/{task['id']}/complete", json={"data": DECISION})
    supervisor = staff("supervisor")

    board = main_text(supervisor.get("/monitoring"))
    assert "Cases that could not move on" in board and f"Case B-{case['id']:06d}" in board
    assert "line_manager" in board and "manager_decision" in board
    assert not any(text in board for text in ("SpiffWorkflow", " object at 0x", "Traceback"))
    record = main_text(supervisor.get(f"/cases/{case['id']}"))
    assert "a supervisor was told" in record

    incident_id = re.search(r"/monitoring/engine-incidents/(\d+)/resolve", supervisor.get("/monitoring").text)[1]
    refused = supervisor.post_form(f"/monitoring/engine-incidents/{incident_id}/resolve", {"reason": ""},
                                   page_url="/monitoring", follow_redirects=True)
    assert "Give a reason" in main_text(refused)
    resolved = supervisor.post_form(f"/monitoring/engine-incidents/{incident_id}/resolve",
                                    {"reason": "Redeployed the fixed diagram"}, page_url="/monitoring",
                                    follow_redirects=True)
    assert f"The incident on case B-{case['id']:06d} is resolved" in main_text(resolved)
    assert "None: every action staff took went through" in main_text(supervisor.get("/monitoring"))
    assert "Redeployed the fixed diagram" in main_text(supervisor.get(f"/cases/{case['id']}"))


def test_staff_completing_the_task_in_the_browser_see_a_plain_message(broken_case, staff):
    client, case = broken_case
    [task] = case["ready_tasks"]
    manager = staff("line_manager")
    form = {"behaviour_unacceptable": "yes", "welfare_support_offered": "no", "decision": "address_behaviour",
            "rationale": "Pattern"}

    response = manager.post_form(f"/tasks/{task['id']}", form, follow_redirects=True)

    text = main_text(response)
    assert "could not move on" in text and "A supervisor has been told" in text
    assert not any(engine in response.get_data(as_text=True) for engine in ENGINE_TEXT)
