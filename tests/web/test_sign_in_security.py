"""Issue #19 items 4 and 5: one limit on password guessing for web and API; sessions and tokens that end.

Through gunicorn with several workers: tests/load/test_security_gunicorn.py.
"""
from __future__ import annotations

from datetime import timedelta

from helpers import make_app, released
from service.engine import clock
from web_support import csrf


def web_attempt(client, username, password, address="10.9.8.7"):
    page = client.get("/sign-in", environ_base={"REMOTE_ADDR": address})
    return client.post("/sign-in", data={"username": username, "password": password, "csrf_token": csrf(page)},
                       environ_base={"REMOTE_ADDR": address})


def api_attempt(client, username, password, address="10.9.8.7"):
    return client.post("/api/v1/tokens", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_five_wrong_passwords_make_the_account_wait_on_web_and_api_alike(web_app):
    client = web_app.test_client()
    codes = [web_attempt(client, "case_officer", "wrong").status_code for _ in range(3)]
    codes += [api_attempt(client, "case_officer", "wrong").status_code for _ in range(2)]
    assert codes == [200, 200, 200, 401, 401]
    refused = api_attempt(client, "case_officer", "demo")  # even the right password waits now
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 30
    assert "Too many sign-in attempts" in refused.get_json()["message"]
    page = web_attempt(client, "Case_Officer ", "demo", address="10.0.0.99")  # another address, same account
    assert page.status_code == 429 and "Wait 1 minute and try again" in page.text
    assert web_attempt(client, "line_manager", "demo").status_code == 302  # other accounts are not locked out
    clock.advance(timedelta(seconds=31))
    assert api_attempt(client, "case_officer", "wrong").status_code == 401  # one more guess after the wait
    waited = api_attempt(client, "case_officer", "demo")
    assert waited.status_code == 429 and int(waited.headers["Retry-After"]) == 60  # the wait doubles
    clock.advance(timedelta(seconds=61))
    assert api_attempt(client, "case_officer", "demo").status_code == 201  # and success forgets the count
    assert api_attempt(client, "case_officer", "wrong").status_code == 401


def test_one_address_guessing_many_accounts_is_limited_too(tmp_path):
    with released(make_app(tmp_path, SIGN_IN_ADDRESS_ATTEMPTS=4)) as app:
        client = app.test_client()
        codes = [api_attempt(client, f"user{n}", "guess", address="192.0.2.1").status_code for n in range(5)]
        assert codes == [401, 401, 401, 401, 429]
        assert api_attempt(client, "case_officer", "demo", address="192.0.2.2").status_code == 201


def test_the_client_address_comes_from_trusted_proxies_only(tmp_path):
    for hops, locked_out in ((0, True), (1, False)):
        (tmp_path / str(hops)).mkdir()
        with released(make_app(tmp_path / str(hops), SIGN_IN_ADDRESS_ATTEMPTS=2, TRUSTED_PROXIES=hops)) as app:
            client = app.test_client()
            codes = [client.post("/api/v1/tokens", json={"username": f"u{n}", "password": "x"},
                                 headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(3)]
            # with no trusted proxy the header is ignored: every attempt is one address's
            assert (codes[-1] == 429) is locked_out, hops


def sign_in(app, username="case_officer"):
    client = app.test_client()
    assert web_attempt(client, username, "demo").status_code == 302
    return client


def cookie_of(client):
    return client.get_cookie("session").value


def replay(app, cookie):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/inbox").status_code


def test_a_cookie_copied_before_sign_out_stops_working_after_it(web_app):
    officer = sign_in(web_app)
    copied = cookie_of(officer)
    assert replay(web_app, copied) == 200
    officer.post("/sign-out", data={"csrf_token": csrf(officer.get("/inbox"))})
    assert replay(web_app, copied) == 302


def test_password_change_role_change_and_deactivation_end_sessions(web_app):
    from service.domain.core.transaction import transaction
    from service.domain.people import users
    from service.extensions import db
    changes = [("case_officer", lambda u: users.set_password(db.session, u, "a long new passphrase 7")),
               ("line_manager", lambda u: users.revoke_roles(u, ["line_manager"])),
               ("supervisor", lambda u: users.grant_roles(u, ["dpo"])),
               ("dpo", lambda u: users.deactivate(db.session, u))]
    for username, change in changes:
        copied = cookie_of(sign_in(web_app, username))
        with web_app.app_context():
            with transaction(db.session):
                change(users.find_user(db.session, username))
            db.session.remove()
        assert replay(web_app, copied) == 302, username


def test_sessions_end_after_idle_time_and_after_their_lifetime(tmp_path):
    with released(make_app(tmp_path, SESSION_IDLE_MINUTES=30, SESSION_LIFETIME_HOURS=12), pushed=False) as app:
        idle = sign_in(app)
        clock.advance(timedelta(minutes=29))
        assert idle.get("/inbox").status_code == 200
        clock.advance(timedelta(minutes=29))
        assert idle.get("/inbox").status_code == 200  # each use restarts the idle time
        clock.advance(timedelta(minutes=31))
        ended = idle.get("/inbox", follow_redirects=True)
        assert "the session had ended" in ended.text
        busy = sign_in(app)
        for _ in range(12 * 4 + 1):
            clock.advance(timedelta(minutes=15))
            last = busy.get("/inbox").status_code
        assert last == 302  # twelve hours after signing in, however busy


def test_an_api_token_can_end_itself_and_the_cli_ends_a_users_tokens(web_app):
    client = web_app.test_client()
    tokens = [api_attempt(client, "case_officer", "demo").get_json()["token"] for _ in range(3)]
    auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
    assert client.delete("/api/v1/tokens/current", headers=auth[0]).status_code == 204
    assert client.get("/api/v1/tasks", headers=auth[0]).status_code == 401
    assert client.get("/api/v1/tasks", headers=auth[1]).status_code == 200
    result = web_app.test_cli_runner().invoke(args=["revoke-tokens", "case_officer"])
    assert result.exit_code == 0 and "Ended 2 token(s) of case_officer" in result.output
    assert [client.get("/api/v1/tasks", headers=h).status_code for h in auth[1:]] == [401, 401]


def test_new_passwords_need_twelve_characters_and_must_not_be_common(app):
    runner = app.test_cli_runner()
    for weak, why in (("demo", "at least 12 characters"), ("password1234", "most common passwords"),
                      ("Qwertyuiop123", "most common passwords"), ("case_officer-2026", "username")):
        refused = runner.invoke(args=["set-password", "case_officer", "--password", weak])
        assert refused.exit_code != 0 and why in refused.output, weak
    assert runner.invoke(args=["set-password", "case_officer", "--password", "tide kettle orbit"]).exit_code == 0
    client = app.test_client()
    assert api_attempt(client, "case_officer", "tide kettle orbit").status_code == 201
    assert api_attempt(client, "line_manager", "demo").status_code == 201  # demo users keep 'demo' in development
