"""Uploading BPMN through the API: full validation first, nothing changes on a refusal."""
from __future__ import annotations

import io

from helpers import FIXTURES

SIMPLE = (FIXTURES / "workflows" / "simple.bpmn").read_text()


def upload(client, text: str, name: str = "simple.bpmn", note: str = "a change"):
    return client.post("/api/v1/process-definitions", data={"file": (io.BytesIO(text.encode()), name), "note": note},
                       content_type="multipart/form-data")


def test_definitions_list_shows_versions(as_user):
    body = as_user("process_owner").get("/api/v1/process-definitions").get_json()
    [definition] = body["items"]
    assert definition["process_id"] == "fixture_process" and definition["current_version"] == 1
    assert definition["versions"][0]["files"] == ["simple.bpmn"]


def test_a_valid_upload_is_a_new_version_and_new_cases_start_on_it(as_user):
    owner = as_user("process_owner")
    changed = SIMPLE.replace('name="First review"', 'name="First look"')
    response = upload(owner, changed, note="renamed a task")
    assert response.status_code == 201
    assert response.get_json()["number"] == 2 and response.get_json()["note"] == "renamed a task"
    case = as_user("case_officer").post("/api/v1/cases", json={
        "service_user_name": "A", "matter_reference": "M", "incident_date": "2026-01-01", "wait_period": "P1D"})
    assert case.get_json()["process_version"] == "fixture_process v2"
    assert case.get_json()["ready_tasks"][0]["title"] == "First look"


def test_running_cases_stay_on_their_version(as_user):
    officer = as_user("case_officer")
    case = officer.post("/api/v1/cases", json={"service_user_name": "A", "matter_reference": "M",
                                               "incident_date": "2026-01-01", "wait_period": "P1D"}).get_json()
    assert upload(as_user("process_owner"), SIMPLE.replace('name="Approve"', 'name="Sign off"')).status_code == 201
    case = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {"notes": "x"}}).get_json()
    assert case["process_version"] == "fixture_process v1" and case["ready_tasks"][0]["title"] == "Approve"


def test_a_refused_upload_names_element_and_line_and_changes_nothing(as_user):
    owner = as_user("process_owner")
    broken = SIMPLE.replace('decision == "approve"', "().__class__.__bases__")
    response = upload(owner, broken)
    body = response.get_json()
    assert response.status_code == 422 and "f_yes" in body["fields"]
    assert "f_yes" in body["message"] or "refused" in body["message"]
    assert owner.get("/api/v1/process-definitions").get_json()["items"][0]["current_version"] == 1


def test_boundary_conventions_are_checked(as_user):
    owner = as_user("process_owner")
    no_role = upload(owner, SIMPLE.replace('name="Line Manager"', 'name="Somebody"'))
    assert no_role.status_code == 422 and "approve" in no_role.get_json()["fields"]
    no_form = upload(owner, SIMPLE.replace("fixture_review.schema.json", "missing.schema.json"))
    assert no_form.status_code == 422 and "first_review" in no_form.get_json()["fields"]
    unknown_message = upload(owner, SIMPLE.replace('name="nudge"', 'name="poke"'))
    assert unknown_message.status_code == 422 and "poke" in unknown_message.get_json()["message"]


def test_upload_needs_the_process_owner_role_and_a_file(as_user):
    assert upload(as_user("case_officer"), SIMPLE).status_code == 403
    empty = as_user("process_owner").post("/api/v1/process-definitions", data={},
                                          content_type="multipart/form-data")
    assert empty.status_code == 422 and "file" in empty.get_json()["fields"]
    not_xml = upload(as_user("process_owner"), "hello")
    assert not_xml.status_code == 422 and "XML" in not_xml.get_json()["message"]
