"""Issue #19 items 1, 4 and 5 through real gunicorn with two workers: the headers as sent,
one sign-in limit whichever worker answers, and a session ended on one worker ended on all."""
from __future__ import annotations

import http.client
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import make_app
from load_support import GunicornServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def served(tmp_path_factory, request):
    from service.engine import clock
    from service.extensions import db
    folder = tmp_path_factory.mktemp("security")
    if request.param == "postgres":
        from pg_server import server
        url = server().new_database()
    else:
        url = f"sqlite:///{folder / 'security.sqlite'}"
    clock.reset()
    app = make_app(folder, database=url)  # demo users with the password 'demo'
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    server = GunicornServer(url, folder, workers=2)
    yield server
    server.stop()


def call(port, method, path, body=None, headers=None, form=None):
    """(status, headers, text) on a fresh connection, so either worker may answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"], body = "application/json", json.dumps(body)
    elif form is not None:
        from urllib.parse import urlencode
        headers["Content-Type"], body = "application/x-www-form-urlencoded", urlencode(form)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def cookie(headers) -> str:
    return headers["Set-Cookie"].split(";", 1)[0]


def test_answers_carry_the_security_headers_and_do_not_name_the_server(served):
    for path in ["/sign-in", "/api/v1/health", "/no-such-page"]:
        _, headers, _ = call(served.port, "GET", path)
        assert headers.get("Server") is None, path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_concurrent_guesses_on_both_workers_get_five_tries_in_all(served):
    def guess(n):
        return call(served.port, "POST", "/api/v1/tokens", {"username": "line_manager", "password": f"guess-{n}"})[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = sorted(pool.map(guess, range(14)))
    assert codes == [401] * 5 + [429] * 9
    assert call(served.port, "POST", "/api/v1/tokens", {"username": "line_manager", "password": "demo"})[0] == 429


def sign_in(port, username):
    _, headers, page = call(port, "GET", "/sign-in")
    jar = cookie(headers)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, headers, _ = call(port, "POST", "/sign-in", headers={"Cookie": jar},
                              form={"username": username, "password": "demo", "csrf_token": token})
    assert status == 302, status
    return cookie(headers)


def test_a_cookie_copied_before_sign_out_is_refused_by_every_worker(served):
    session = sign_in(served.port, "case_officer")
    assert {call(served.port, "GET", "/inbox", headers={"Cookie": session})[0] for _ in range(6)} == {200}
    _, headers, inbox = call(served.port, "GET", "/inbox", headers={"Cookie": session})
    token = re.search(r'name="csrf_token" value="([^"]+)"', inbox).group(1)
    signing_out = cookie(headers) if headers["Set-Cookie"] else session  # a new CSRF secret would be in it
    assert call(served.port, "POST", "/sign-out", headers={"Cookie": signing_out}, form={"csrf_token": token})[0] == 302
    assert {call(served.port, "GET", "/inbox", headers={"Cookie": session})[0] for _ in range(6)} == {302}


def test_make_run_serves_with_the_same_gunicorn_settings(monkeypatch):
    """The probe was of `make run`: its gunicorn must load service.gunicorn_conf (which drops the header)."""
    from service import devserver
    started = []
    monkeypatch.setattr(devserver.subprocess, "Popen", lambda *a, **k: None)
    monkeypatch.setattr(devserver.os, "execv", lambda path, args: started.append(args))
    devserver.main()
    assert started and started[0][started[0].index("-c") + 1] == "python:service.gunicorn_conf"
