"""The staff pages through Flask's test client: sign-in, inbox, tasks, cases, need to know."""
from __future__ import annotations

import re

from service.models import AuditEvent, TaskRecord
from web.conftest import INCIDENT_FORM, Staff, csrf


def test_pages_need_sign_in(web_app):
    client = web_app.test_client()
    for url in ["/inbox", "/cases", "/cases/new", "/cases/1"]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location


def test_forms_without_a_csrf_token_are_refused(web_app, staff):
    client = web_app.test_client()
    assert client.post("/sign-in", data={"username": "case_officer", "password": "demo"}).status_code == 400
    officer = staff("case_officer")
    refused = officer.client.post("/cases/new", data=INCIDENT_FORM)
    assert refused.status_code == 400 and "expired" in refused.text


def test_sign_in_failure_is_explained_and_sign_out_works(web_app, staff):
    client = web_app.test_client()
    page = client.get("/sign-in")
    failed = client.post("/sign-in", data={"username": "case_officer", "password": "x", "csrf_token": csrf(page)})
    assert "There is a problem" in failed.text and "not right" in failed.text
    officer = staff("case_officer")
    inbox = officer.get("/inbox")
    out = officer.client.post("/sign-out", data={"csrf_token": csrf(inbox)})
    assert out.status_code == 302 and officer.get("/inbox").status_code == 302


def test_record_an_incident_with_errors_then_success(staff):
    officer = staff("case_officer")
    bad = officer.post_form("/cases/new", {**INCIDENT_FORM, "incident_date-year": "2099", "description": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.text
    assert "must not be in the future" in bad.text and "Enter what happened" in bad.text
    assert 'value="Sam Jones"' in bad.text  # input kept
    good = officer.post_form("/cases/new", INCIDENT_FORM, follow_redirects=True)
    assert "Incident recorded as case 1" in good.text and "Discuss the incident" in good.text


def test_only_case_officers_record_incidents(staff):
    assert staff("line_manager").get("/cases/new").status_code == 403


def test_inbox_task_page_and_completion(staff, recorded_case):
    manager = staff("line_manager")
    inbox = manager.get("/inbox")
    assert "Discuss the incident and decide what happens next" in inbox.text and "Sam Jones" in inbox.text
    task_id = re.search(r'href="/tasks/([0-9a-f-]{36})"', inbox.text).group(1)
    page = manager.get(f"/tasks/{task_id}")
    assert "WM 4.1" in page.text and "M-1" in page.text
    invalid = manager.post_form(f"/tasks/{task_id}", {"behaviour_unacceptable": "no", "decision": "address_behaviour",
                                                     "rationale": "r"})
    assert "There is a problem" in invalid.text and "only decision is no further action" in invalid.text
    done = manager.post_form(f"/tasks/{task_id}", {"behaviour_unacceptable": "yes", "welfare_support_offered": "yes",
                                                  "decision": "address_behaviour", "rationale": "Pattern"},
                             follow_redirects=True)
    assert "Next on case 1: Check whether our own handling caused the behaviour (case officer)" in done.text


def test_wrong_role_gets_403_and_need_to_know_404(staff, recorded_case, query):
    task = query(lambda s: s.query(TaskRecord).filter_by(element_id="manager_review").one())
    assert staff("dpo").get(f"/tasks/{task.id}").status_code == 403
    assert staff("dpo").get(f"/cases/{recorded_case}").status_code == 404
    assert staff("line_manager").get(f"/cases/{recorded_case}").status_code == 200  # holds a task role on it
    assert staff("supervisor").get(f"/cases/{recorded_case}").status_code == 200


def test_case_views_are_audited(staff, recorded_case, query):
    staff("supervisor").get(f"/cases/{recorded_case}")
    actors = query(lambda s: [v.actor for v in s.query(AuditEvent).filter_by(case_id=recorded_case,
                                                                             action="case_viewed")])
    assert actors[-1] == "supervisor"


def test_claim_release_and_override(web_app, staff, recorded_case, query):
    manager, other = staff("line_manager"), staff("all_roles")
    task = query(lambda s: s.query(TaskRecord).filter_by(element_id="manager_review").one())
    claimed = manager.post_form(f"/tasks/{task.id}/claim", {}, page_url="/inbox", follow_redirects=True)
    assert "You are now working on" in claimed.text
    data = {"behaviour_unacceptable": "yes", "welfare_support_offered": "no", "decision": "no_further_action",
            "rationale": "Isolated"}
    blocked = other.post_form(f"/tasks/{task.id}", data)
    assert "line_manager is working on this task" in blocked.text
    done = other.post_form(f"/tasks/{task.id}", {**data, "override": "yes"}, follow_redirects=True)
    assert "Case 1 is now closed" in done.text


def test_case_page_offers_only_the_messages_the_case_can_take(staff, recorded_case):
    officer = staff("case_officer")
    page = officer.get(f"/cases/{recorded_case}")
    assert "Report a breach" not in page.text and "Log a further incident" not in page.text
    assert officer.get(f"/cases/{recorded_case}/messages/nowhere").status_code == 404


def test_contact_log_entry(staff, recorded_case):
    officer = staff("case_officer")
    added = officer.post_form(f"/cases/{recorded_case}/contacts", {"contact_date": "2026-03-01", "channel": "email",
                                                                  "summary": "Asked for an update"},
                              page_url=f"/cases/{recorded_case}", follow_redirects=True)
    assert "Contact added to the log" in added.text and "Asked for an update" in added.text
    refused = officer.post_form(f"/cases/{recorded_case}/contacts", {"contact_date": "yesterday", "summary": ""},
                                page_url=f"/cases/{recorded_case}", follow_redirects=True)
    assert "not added" in refused.text


def test_a_manager_reassigns_a_task_to_someone_holding_its_role(staff, recorded_case, query):
    task = query(lambda s: s.query(TaskRecord).filter_by(element_id="manager_review").one())
    manager = staff("line_manager")
    refused = manager.post_form(f"/tasks/{task.id}/reassign", {"username": "dpo"}, page_url=f"/tasks/{task.id}")
    assert refused.status_code == 409 and "does not hold the role" in refused.text
    done = manager.post_form(f"/tasks/{task.id}/reassign", {"username": "all_roles"}, page_url=f"/tasks/{task.id}",
                             follow_redirects=True)
    assert "is now with all_roles" in done.text
    assert staff("case_officer").post_form(f"/tasks/{task.id}/reassign", {"username": "line_manager"},
                                           page_url="/inbox").status_code == 403


def test_sign_in_is_rate_limited(web_app):
    client = web_app.test_client()
    page = client.get("/sign-in")
    token = csrf(page)
    codes = [client.post("/sign-in", data={"username": "ghost", "password": "x", "csrf_token": token},
                         environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[-1] == 429
