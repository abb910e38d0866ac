"""Signing in and out, CSRF on every form, the session cookie (limits and ending sessions: test_sign_in_security)."""
from __future__ import annotations

from web_support import INCIDENT_FORM, csrf, main_text


def test_every_staff_page_needs_sign_in_and_comes_back_after_it(web_app):
    client = web_app.test_client()
    for url in ["/inbox", "/cases", "/cases/new", "/cases/1", "/tasks/x", "/cases/1/contacts/new"]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url
    page = client.get("/sign-in?next=/cases")
    signed_in = client.post("/sign-in?next=/cases", data={"username": "case_officer", "password": "demo",
                                                         "csrf_token": csrf(page)})
    assert signed_in.status_code == 302 and signed_in.location.endswith("/cases")


def test_sign_in_never_sends_people_to_another_site(web_app):
    client = web_app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in?next=//evil.example/x", data={"username": "case_officer", "password": "demo",
                                                                   "csrf_token": csrf(page)})
    assert response.location.endswith("/inbox")


def test_a_failed_sign_in_says_why_and_keeps_the_username(web_app):
    client = web_app.test_client()
    page = client.get("/sign-in")
    failed = client.post("/sign-in", data={"username": "case_officer", "password": "x", "csrf_token": csrf(page)})
    assert failed.status_code == 200 and "There is a problem" in failed.text
    assert "The username or password is not right" in failed.text and 'value="case_officer"' in failed.text
    assert "<title>Error: Sign in" in failed.text
    empty = client.post("/sign-in", data={"username": "", "password": "", "csrf_token": csrf(page)})
    assert "Enter your username and password" in empty.text


def test_sign_out_ends_the_session(staff):
    officer = staff("case_officer")
    inbox = officer.get("/inbox")
    assert officer.client.get("/sign-out").status_code == 405  # a link cannot sign anyone out
    out = officer.client.post("/sign-out", data={"csrf_token": csrf(inbox)}, follow_redirects=True)
    assert "You have signed out" in main_text(out)
    assert officer.get("/inbox").status_code == 302


def test_forms_without_a_csrf_token_are_refused(web_app, staff, setup):
    client = web_app.test_client()
    assert client.post("/sign-in", data={"username": "case_officer", "password": "demo"}).status_code == 400
    officer = staff("case_officer")
    case_id = setup.start()
    task = setup.task(case_id, "manager_review")
    refused = [officer.client.post(url, data=data) for url, data in [
        ("/cases/new", INCIDENT_FORM), (f"/cases/{case_id}/contacts/new", {"summary": "x"}),
        (f"/tasks/{task.id}/claim", {}), ("/sign-out", {})]]
    assert [r.status_code for r in refused] == [400] * 4
    assert "The form had expired or was not sent from this site" in refused[0].text
    manager = staff("line_manager")
    assert manager.client.post(f"/tasks/{task.id}", data={"rationale": "r"}).status_code == 400
    wrong = manager.client.post(f"/tasks/{task.id}/claim", data={"csrf_token": "forged"})
    assert wrong.status_code == 400


def test_the_session_cookie_is_http_only_and_same_site(web_app):
    client = web_app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"username": "case_officer", "password": "demo",
                                             "csrf_token": csrf(page)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
