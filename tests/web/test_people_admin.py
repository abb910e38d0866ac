"""Issue #20: an administrator manages people in the browser; every change has a reason on the record."""
from __future__ import annotations

import re

from sqlalchemy import select

from service.domain.core.transaction import transaction
from service.domain.people import claims
from service.domain.people.users import find_user
from service.models import AuditEvent, TaskRecord
from web_support import csrf, main_text

NEW_PERSON = {"username": "jo.bloggs", "display_name": "Jo Bloggs", "email": "jo@example.org",
              "roles": ["case_officer"], "reason": "Starts on Monday in the complaints team"}


def sign_in_with(app, username, password, agent="Test browser"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    page = client.get("/sign-in")
    return client, client.post("/sign-in", data={"username": username, "password": password, "csrf_token": csrf(page)})


def account_events(query, action):
    return query(lambda s: [(e.actor, e.data) for e in s.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))])


def temporary_password(response) -> str:
    return re.search(r'id="temporary-password"[^>]*>([^<]+)<', response.text).group(1)


def person_id(query, username):
    return query(lambda s: find_user(s, username).id)


def test_only_an_administrator_reaches_the_people_pages_and_finds_people(staff):
    officer = staff("case_officer")
    assert officer.get("/admin/users").status_code == 403
    assert officer.get("/admin/users/new").status_code == 403
    assert "People" not in main_text(officer.get("/inbox")) and 'href="/admin/users"' not in officer.get("/inbox").text
    admin = staff("admin")
    assert admin.get("/").location.endswith("/admin/users")  # an administrator and nothing else starts at People
    assert staff("case_officer").get("/").location.endswith("/inbox")
    assert 'href="/admin/users"' in admin.get("/inbox").text
    everyone = main_text(admin.get("/admin/users"))
    assert "Demo Case Officer" in everyone and "Demo Line Manager" in everyone
    found = main_text(admin.get("/admin/users?q=LINE"))
    assert "1 person matching" in found and "Demo Line Manager" in found and "Demo Case Officer" not in found


def test_a_new_person_gets_a_temporary_password_they_must_change_first(web_app, staff, query):
    admin = staff("admin")
    missing = admin.post_form("/admin/users/new", {**NEW_PERSON, "reason": ""})
    assert missing.status_code == 422 and "Give a reason for this change" in main_text(missing)
    taken = admin.post_form("/admin/users/new", {**NEW_PERSON, "username": "case_officer"})
    assert taken.status_code == 422 and "The username case_officer is taken" in main_text(taken)
    made = admin.post_form("/admin/users/new", NEW_PERSON)
    assert made.status_code == 200 and "Jo Bloggs&#39;s account is ready" in main_text(made)
    password = temporary_password(made)
    assert account_events(query, "user_created")[-1] == (
        "admin", {"user": "jo.bloggs", "roles": ["case_officer"], "reason": "Starts on Monday in the complaints team"})

    client, signed_in = sign_in_with(web_app, "jo.bloggs", password)
    assert signed_in.location.endswith("/account/password")
    assert client.get("/inbox").location.endswith("/account/password")  # nothing else opens first
    page = client.get("/account/password")
    wrong = client.post("/account/password", data={"current_password": "guess", "new_password": "password1234",
                                                   "confirm_password": "x", "csrf_token": csrf(page)})
    assert wrong.status_code == 422
    assert "Your current password is not right" in main_text(wrong) and "most common passwords" in main_text(wrong)
    chosen = "amber heron lantern"
    changed = client.post("/account/password", data={"current_password": password, "new_password": chosen,
                                                     "confirm_password": chosen, "csrf_token": csrf(page)},
                          follow_redirects=True)
    assert "Your password is changed" in main_text(changed)
    assert client.get("/inbox").status_code == 200
    assert sign_in_with(web_app, "jo.bloggs", password)[1].status_code == 200  # the temporary one is gone


def test_changing_someone_s_roles_is_on_the_record_and_ends_their_sessions(web_app, staff, query):
    manager = staff("line_manager")
    assert manager.get("/inbox").status_code == 200
    admin = staff("admin")
    target = f"/admin/users/{person_id(query, 'line_manager')}/edit"
    saved = admin.post_form(target, {"display_name": "Lee Manager", "email": "lee@example.org",
                                     "roles": ["case_officer"], "reason": "Moved to casework"}, follow_redirects=True)
    assert "Their details are saved" in main_text(saved)
    page = main_text(saved)
    assert "Lee Manager" in page and "Case Officer" in page and "Moved to casework" in page
    actor, data = account_events(query, "user_updated")[-1]
    assert actor == "admin" and data["roles_added"] == ["case_officer"] and data["roles_removed"] == ["line_manager"]
    assert data["reason"] == "Moved to casework" and data["display_name"] == "Lee Manager"
    assert manager.get("/inbox").status_code == 302  # the pages drawn for the old role are gone


def test_deactivation_ends_sessions_and_tokens_at_once_and_gives_back_claimed_tasks(web_app, staff, setup, query):
    case_id = setup.start()
    task = setup.task(case_id, "manager_review")
    with web_app.app_context():
        from service.extensions import db
        with transaction(db.session):
            claims.claim(db.session, find_user(db.session, "line_manager"), task.id)
    manager = staff("line_manager")
    token = web_app.test_client().post("/api/v1/tokens", json={"username": "line_manager", "password": "demo"})
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert web_app.test_client().get("/api/v1/tasks", headers=bearer).status_code == 200
    admin = staff("admin")
    target = f"/admin/users/{person_id(query, 'line_manager')}/deactivate"
    assert "They are signed out everywhere at once" in main_text(admin.get(target))
    refused = admin.post_form(target, {"reason": " "})
    assert refused.status_code == 422 and "Give a reason" in main_text(refused)
    done = admin.post_form(target, {"reason": "Left the organisation"}, follow_redirects=True)
    assert "deactivated and they are signed out everywhere. 1 task they were working on went back" in main_text(done)
    assert manager.get("/inbox").status_code == 302
    assert web_app.test_client().get("/api/v1/tasks", headers=bearer).status_code == 401
    assert sign_in_with(web_app, "line_manager", "demo")[1].status_code == 200  # no more signing in
    assert query(lambda s: s.get(TaskRecord, task.id).claimed_by) is None
    released = query(lambda s: [(e.actor, e.data) for e in s.scalars(select(AuditEvent).where(
        AuditEvent.case_id == case_id, AuditEvent.action == "task_released"))])
    assert released == [("admin", {"from": "line_manager", "reason": "their account was deactivated"})]
    assert account_events(query, "user_deactivated")[-1] == (
        "admin", {"user": "line_manager", "reason": "Left the organisation", "tasks_released": 1})

    back = admin.post_form(target.replace("deactivate", "reactivate"), {"reason": "Came back"}, follow_redirects=True)
    assert "account is active again" in main_text(back)
    assert sign_in_with(web_app, "line_manager", "demo")[1].status_code == 302


def test_the_last_administrator_stays_and_nobody_deactivates_themselves(staff, query):
    admin = staff("admin")
    own = admin.post_form(f"/admin/users/{person_id(query, 'admin')}/deactivate", {"reason": "Testing"})
    assert own.status_code == 422 and "You cannot deactivate your own account" in main_text(own)
    other = admin.post_form(f"/admin/users/{person_id(query, 'all_roles')}/deactivate", {"reason": "Demo only"})
    assert other.status_code == 302  # all_roles was the other administrator
    edit = f"/admin/users/{person_id(query, 'admin')}/edit"
    last = admin.post_form(edit, {"display_name": "Admin", "roles": ["supervisor"], "reason": "Tidy up"})
    assert last.status_code == 422 and "they are the last administrator" in main_text(last)
    assert "admin" in query(lambda s: find_user(s, "admin").roles)


def test_a_password_reset_gives_a_temporary_password_and_ends_the_old_one(web_app, staff, query):
    officer = staff("case_officer")
    admin = staff("admin")
    reset = admin.post_form(f"/admin/users/{person_id(query, 'case_officer')}/reset-password",
                            {"reason": "Forgot it, rang the service desk"})
    assert reset.status_code == 200 and "password is reset" in main_text(reset)
    assert officer.get("/inbox").status_code == 302
    assert sign_in_with(web_app, "case_officer", "demo")[1].status_code == 200
    token = web_app.test_client().post("/api/v1/tokens", json={"username": "case_officer",
                                                               "password": temporary_password(reset)})
    assert token.status_code == 401 and "temporary password" in token.get_json()["message"]
    client, signed_in = sign_in_with(web_app, "case_officer", temporary_password(reset))
    assert signed_in.location.endswith("/account/password")
    assert account_events(query, "password_reset")[-1] == (
        "admin", {"user": "case_officer", "reason": "Forgot it, rang the service desk"})


def test_an_administrator_sees_no_case_data(staff, recorded_case):
    admin = staff("admin")
    assert admin.get(f"/cases/{recorded_case}").status_code == 404
    assert "Sam Jones" not in admin.get("/cases").text
    assert "Sam Jones" not in admin.get("/admin/users/1").text
