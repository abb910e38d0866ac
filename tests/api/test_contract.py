"""The REST API as shared/api-contract.md describes it, driven through Flask's test client."""
from __future__ import annotations

import pytest

from api_support import INCIDENT

CASE_KEYS = {"id", "status", "stage", "outcome", "service_user_name", "matter_reference", "process_version",
             "ready_tasks", "waiting", "created_at", "updated_at"}
TASK_KEYS = {"id", "case_id", "element_id", "title", "role", "created_at", "due_at"}


def test_health_needs_no_token(client):
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}


def test_tokens_for_good_and_bad_credentials(client):
    assert client.post("/api/v1/tokens", json={"username": "case_officer", "password": "demo"}).status_code == 201
    wrong = client.post("/api/v1/tokens", json={"username": "case_officer", "password": "nope"})
    assert wrong.status_code == 401 and wrong.get_json()["error"] == "unauthorised"
    unknown = client.post("/api/v1/tokens", json={"username": "ghost", "password": "demo"})
    assert unknown.status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/cases", "/api/v1/tasks", "/api/v1/process-definitions", "/api/v1/cases/1"])
def test_calls_without_a_valid_token_get_401(client, url):
    assert client.get(url).status_code == 401
    bad = client.get(url, headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and "token" in bad.get_json()["message"]


def test_demo_users_one_per_role_plus_all_roles(client):
    for username in ["case_officer", "line_manager", "business_support_lead", "independent_review_manager",
                     "authorising_officer", "equality_adviser", "dpo", "chief_executive", "supervisor",
                     "process_owner", "admin", "all_roles"]:
        assert client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).status_code == 201


def test_start_a_case_and_read_it_back(officer, new_case):
    case = new_case()
    assert CASE_KEYS <= set(case)
    assert case["status"] == "active" and case["stage"] == "manager_review" and case["outcome"] is None
    assert case["process_version"] == "fixture_process v1"
    [task] = case["ready_tasks"]
    assert TASK_KEYS <= set(task) and task["element_id"] == "first_review" and task["role"] == "case_officer"
    again = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert again["id"] == case["id"] and again["ready_tasks"] == case["ready_tasks"]


def test_field_errors_are_422_with_every_field_named(officer):
    response = officer.post("/api/v1/cases", json={"service_user_name": "", "incident_date": "2026-03-09",
                                                   "wait_period": "P9Y", "surprise": 1})
    body = response.get_json()
    assert response.status_code == 422 and body["error"] == "invalid_input"
    assert set(body["fields"]) == {"service_user_name", "matter_reference", "incident_date", "wait_period", "surprise"}
    assert "must be today or in the past" in body["fields"]["incident_date"][0]
    assert officer.get("/api/v1/cases").get_json()["items"] == []  # nothing was created


def test_malformed_json_is_a_400_with_a_message(officer):
    response = officer.post("/api/v1/cases", data="{not json", headers={**officer.headers,
                                                                          "Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_unknown_paths_and_methods_answer_json(officer):
    missing = officer.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    wrong = officer.client.delete("/api/v1/cases", headers=officer.headers)
    assert wrong.status_code == 405 and wrong.get_json()["error"] == "method_not_allowed"


def test_tasks_list_and_detail_with_form(officer, new_case, as_user):
    case = new_case()
    task_id = case["ready_tasks"][0]["id"]
    assert [t["id"] for t in officer.get("/api/v1/tasks").get_json()["items"]] == [task_id]
    assert as_user("line_manager").get("/api/v1/tasks").get_json()["items"] == []
    detail = officer.get(f"/api/v1/tasks/{task_id}").get_json()
    assert detail["form"]["required"] == ["notes"] and detail["documentation"].endswith("(TEST 1.1)")
    assert officer.get("/api/v1/tasks/no-such-task").status_code == 404


def test_complete_moves_the_case_on(officer, new_case, as_user):
    case = new_case()
    task_id = case["ready_tasks"][0]["id"]
    response = officer.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"notes": "read"}})
    assert response.status_code == 200
    after = response.get_json()
    assert [t["element_id"] for t in after["ready_tasks"]] == ["approve"]
    assert after["ready_tasks"][0]["role"] == "line_manager"


def test_complete_answers_403_409_and_422(officer, new_case, as_user):
    case = new_case()
    task_id = case["ready_tasks"][0]["id"]
    manager = as_user("line_manager")
    assert manager.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"notes": "x"}}).status_code == 403
    invalid = officer.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"notes": ""}})
    assert invalid.status_code == 422 and "notes" in invalid.get_json()["fields"]
    missing_data = officer.post(f"/api/v1/tasks/{task_id}/complete", json={})
    assert missing_data.status_code == 422 and "data" in missing_data.get_json()["fields"]
    assert officer.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"notes": "ok"}}).status_code == 200
    again = officer.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"notes": "ok"}})
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"


def test_cross_field_rule_from_case_data(officer, new_case, as_user):
    case = new_case(behaviour_types=["violence"])
    first = case["ready_tasks"][0]["id"]
    case = officer.post(f"/api/v1/tasks/{first}/complete", json={"data": {"notes": "x"}}).get_json()
    approve = case["ready_tasks"][0]["id"]
    manager = as_user("line_manager")
    refused = manager.post(f"/api/v1/tasks/{approve}/complete",
                           json={"data": {"decision": "approve", "report_to_police": False}})
    assert refused.status_code == 422 and "police" in refused.get_json()["fields"]["report_to_police"][0]
    accepted = manager.post(f"/api/v1/tasks/{approve}/complete",
                            json={"data": {"decision": "approve", "report_to_police": True}})
    assert accepted.status_code == 200


def _to_waiting(officer, as_user, new_case):
    case = new_case()
    case = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                        json={"data": {"notes": "x"}}).get_json()
    return as_user("line_manager").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                        json={"data": {"decision": "approve"}}).get_json()


def test_waiting_lists_timers_with_due_at_and_messages(officer, as_user, new_case):
    case = _to_waiting(officer, as_user, new_case)
    assert case["stage"] == "monitoring"
    waiting = {w["name"]: w for w in case["waiting"]}
    assert set(waiting) == {"nudge", "timed_out"}
    assert waiting["timed_out"]["due_at"] == "2026-03-03T09:00:00+00:00"


def test_messages_accepted_only_when_waited_for(officer, as_user, new_case):
    early = new_case()
    refused = officer.post(f"/api/v1/cases/{early['id']}/messages", json={"name": "nudge", "data": {"reason": "r"}})
    assert refused.status_code == 409 and "cannot take" in refused.get_json()["message"]
    assert officer.get(f"/api/v1/cases/{early['id']}").get_json()["ready_tasks"] == early["ready_tasks"]
    case = _to_waiting(officer, as_user, new_case)
    bad = officer.post(f"/api/v1/cases/{case['id']}/messages", json={"name": "nudge", "data": {}})
    assert bad.status_code == 422 and "reason" in bad.get_json()["fields"]
    unknown = officer.post(f"/api/v1/cases/{case['id']}/messages", json={"name": "shout", "data": {}})
    assert unknown.status_code == 422
    accepted = officer.post(f"/api/v1/cases/{case['id']}/messages", json={"name": "nudge", "data": {"reason": "r"}})
    assert accepted.status_code == 202
    assert [t["element_id"] for t in accepted.get_json()["ready_tasks"]] == ["follow_up"]
    assert accepted.get_json()["waiting"] == []


def test_a_finished_case_is_closed_with_its_outcome(officer, as_user, new_case):
    case = new_case()
    case = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                        json={"data": {"notes": "x"}}).get_json()
    case = as_user("line_manager").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                        json={"data": {"decision": "reject"}}).get_json()
    assert (case["status"], case["stage"], case["outcome"]) == ("closed", "closed", "end_rejected")


def test_need_to_know_hides_cases(officer, new_case, as_user):
    case = new_case()
    assert as_user("dpo").get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert as_user("dpo").get("/api/v1/cases").get_json()["items"] == []
    assert as_user("supervisor").get(f"/api/v1/cases/{case['id']}").status_code == 200


def test_list_filters_and_paging(officer, new_case):
    ids = [new_case(matter_reference=f"M-{i}")["id"] for i in range(3)]
    page = officer.get("/api/v1/cases?per_page=2&page=1").get_json()
    assert len(page["items"]) == 2 and page["total"] == 3
    assert officer.get("/api/v1/cases?stage=manager_review").get_json()["total"] == 3
    assert officer.get("/api/v1/cases?stage=closed").get_json()["total"] == 0
    assert officer.get("/api/v1/cases?role=case_officer").get_json()["total"] == 3
    assert officer.get("/api/v1/cases?status=bogus").status_code == 422
    assert sorted(c["id"] for c in officer.get("/api/v1/cases?per_page=10").get_json()["items"]) == ids


def test_audit_record_has_every_view_and_change(officer, new_case):
    case = new_case()
    officer.get(f"/api/v1/cases/{case['id']}")
    officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {"notes": "seen"}})
    events = officer.get(f"/api/v1/cases/{case['id']}/audit").get_json()["items"]
    assert [e["action"] for e in events] == ["case_started", "case_viewed", "task_completed"]
    assert events[0]["data"]["service_user_name"] == INCIDENT["service_user_name"]
    assert events[2]["data"] == {"notes": "seen"} and events[2]["actor"] == "case_officer"


def test_openapi_document_describes_the_contract(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ["/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/tasks", "/api/v1/tasks/{task_id}",
                 "/api/v1/tasks/{task_id}/complete", "/api/v1/cases/{case_id}/messages",
                 "/api/v1/process-definitions", "/api/v1/tokens", "/api/v1/health"]:
        assert path in spec["paths"], path
