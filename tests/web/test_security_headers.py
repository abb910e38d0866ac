"""Issue #19 item 1: every answer tells the browser to run only this site's scripts and not to be framed."""
from __future__ import annotations

import re

from helpers import make_app, released
from web_support import csrf


def test_pages_and_api_answers_carry_the_security_headers(web_app):
    client = web_app.test_client()
    for url in ["/sign-in", "/api/v1/health"]:
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        scripts = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # development and tests speak plain http


def test_inline_scripts_carry_a_fresh_nonce_each_time(web_app):
    client = web_app.test_client()
    nonces = []
    for _ in range(2):
        page = client.get("/sign-in")
        nonce = re.search(r"'nonce-([^']+)'", page.headers["Content-Security-Policy"]).group(1)
        assert page.text.count(f'nonce="{nonce}"') == 2  # the js-enabled class and GOV.UK Frontend's start
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    app = make_app(tmp_path, ENV="production", DEMO_USERS=False, SESSION_COOKIE_SECURE=True)
    with released(app, pushed=False):
        client = app.test_client()
        answer = client.get("/sign-in", base_url="https://boundary.example")
        assert int(re.match(r"max-age=(\d+)", answer.headers["Strict-Transport-Security"]).group(1)) >= 365 * 86400
        signed_in = client.post("/sign-in", base_url="https://boundary.example",
                                data={"username": "case_officer", "password": "demo", "csrf_token": csrf(answer)})
        assert "Secure" in signed_in.headers["Set-Cookie"]
