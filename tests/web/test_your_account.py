"""Issue #20: your own password, and the browsers signed in as you (each can be signed out)."""
from __future__ import annotations

import re

from sqlalchemy import select

from service.models import AuditEvent
from web.test_people_admin import sign_in_with
from web_support import csrf, main_text

CHROME_ON_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/131.0 Safari/537.36")
FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def change(client, current, new, confirm=None):
    page = client.get("/account/password")
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                  "confirm_password": new if confirm is None else confirm,
                                                  "csrf_token": csrf(page)}, follow_redirects=True)


def test_changing_your_password_needs_the_current_one_and_ends_your_other_sessions(web_app, query):
    here, _ = sign_in_with(web_app, "case_officer", "demo")
    elsewhere, _ = sign_in_with(web_app, "case_officer", "demo")
    token = web_app.test_client().post("/api/v1/tokens", json={"username": "case_officer", "password": "demo"})
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert 'href="/account/password"' in here.get("/account").text
    for current, new, confirm, why in (("wrong", "amber heron lantern", None, "Your current password is not right"),
                                       ("demo", "short", None, "Use at least 12 characters"),
                                       ("demo", "amber heron lantern", "amber heron lanterns", "are not the same"),
                                       ("demo", "case_officer 2026!", None, "may not contain the username")):
        refused = change(here, current, new, confirm)
        assert refused.status_code == 422 and why in main_text(refused), why
        assert 'value="demo"' not in refused.text  # passwords are never drawn back into the page
    done = change(here, "demo", "amber heron lantern")
    assert "Your password is changed" in main_text(done)
    assert here.get("/inbox").status_code == 200  # this browser carries on
    assert elsewhere.get("/inbox").status_code == 302
    assert web_app.test_client().get("/api/v1/tasks", headers=bearer).status_code == 401
    assert sign_in_with(web_app, "case_officer", "amber heron lantern")[1].status_code == 302
    assert query(lambda s: s.scalars(select(AuditEvent.actor).where(AuditEvent.action == "password_changed")).all()) \
        == ["case_officer"]


def test_you_see_where_you_are_signed_in_and_can_sign_one_out(web_app):
    laptop, _ = sign_in_with(web_app, "case_officer", "demo", agent=CHROME_ON_WINDOWS)
    phone, _ = sign_in_with(web_app, "case_officer", "demo", agent=FIREFOX_ON_LINUX)
    sign_in_with(web_app, "line_manager", "demo")  # someone else's session is never listed
    page = laptop.get("/account")
    listed = re.findall(r'data-session="(\d+)"', page.text)
    text = main_text(page)
    assert len(listed) == 2 and "Chrome on Windows This browser" in text and "Firefox on Linux" in text
    other = [sid for sid in listed if f'data-session="{sid}"' in page.text and sid != _this(page)][0]
    ended = laptop.post(f"/account/sessions/{other}/end", data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert "That browser is signed out" in main_text(ended)
    assert phone.get("/inbox").status_code == 302 and laptop.get("/inbox").status_code == 200
    assert laptop.post(f"/account/sessions/{other}/end", data={"csrf_token": csrf(page)}).status_code == 404
    manager, _ = sign_in_with(web_app, "line_manager", "demo")
    theirs = re.findall(r'data-session="(\d+)"', manager.get("/account").text)[0]
    assert laptop.post(f"/account/sessions/{theirs}/end", data={"csrf_token": csrf(page)}).status_code == 404
    assert manager.get("/inbox").status_code == 200
    own = laptop.post(f"/account/sessions/{_this(page)}/end", data={"csrf_token": csrf(page)})
    assert own.location.endswith("/sign-in") and laptop.get("/inbox").status_code == 302


def _this(page) -> str:
    return re.search(r'data-session="(\d+)">\s*<td class="govuk-table__cell">[^<]*<strong', page.text).group(1)


def test_signing_out_ends_only_this_browser(web_app):
    laptop, _ = sign_in_with(web_app, "case_officer", "demo")
    phone, _ = sign_in_with(web_app, "case_officer", "demo")
    laptop.post("/sign-out", data={"csrf_token": csrf(laptop.get("/inbox"))})
    assert laptop.get("/inbox").status_code == 302 and phone.get("/inbox").status_code == 200


def test_the_worker_forgets_sessions_that_can_no_longer_be_used(web_app, query):
    from datetime import timedelta

    from service.engine import clock
    from service.models import User, UserSession
    from service.worker import _last_purge, _purge_if_due

    idle, _ = sign_in_with(web_app, "case_officer", "demo")
    clock.advance(timedelta(hours=1))  # over the 30 idle minutes
    recent, _ = sign_in_with(web_app, "line_manager", "demo")
    _last_purge.clear()
    with web_app.app_context():
        _purge_if_due(web_app)  # the worker's hourly tidy-up
    owners = query(lambda s: s.scalars(select(User.username).join(UserSession, UserSession.user_id == User.id)).all())
    assert owners == ["line_manager"]
    assert idle.get("/inbox").status_code == 302 and recent.get("/inbox").status_code == 200


def test_guessing_the_current_password_on_the_password_page_is_limited_like_signing_in(web_app):
    here, _ = sign_in_with(web_app, "case_officer", "demo")
    codes = [change(here, f"guess {n}", "amber heron lantern").status_code for n in range(5)]
    assert codes == [422] * 5  # the account's five free attempts (signing in cleared the count)
    waiting = change(here, "demo", "amber heron lantern")
    assert waiting.status_code == 429 and "Too many" in main_text(waiting)
