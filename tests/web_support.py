"""Helpers for tests that drive the web pages with Flask test clients: sign in (``Staff``), CSRF tokens,
the page's plain text, and a valid incident form."""
from __future__ import annotations

import re

INCIDENT_FORM = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date-day": "1",
                 "incident_date-month": "3", "incident_date-year": "2026", "channel": "telephone",
                 "behaviour_types": ["unreasonable_demands"], "description": "Shouted"}


def csrf(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)


def main_text(response) -> str:
    """The <main> element's text, tags stripped and spaces collapsed, for plain-English checks."""
    html = re.search(r"<main.*?</main>", response.text, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _fresh_csrf():
    """Flask-WTF caches the CSRF token in ``g``; a test holding an app context open shares one ``g``
    between clients, so each signed-in client must start without another's cached token."""
    from flask import g, has_app_context
    if has_app_context():
        g.pop("csrf_token", None)


class Staff:
    def __init__(self, app, username):
        self.client = app.test_client()
        _fresh_csrf()
        page = self.client.get("/sign-in")
        response = self.client.post("/sign-in", data={"username": username, "password": "demo",
                                                      "csrf_token": csrf(page)})
        assert response.status_code == 302, response.text

    def get(self, url, **kw):
        _fresh_csrf()
        return self.client.get(url, **kw)

    def post_form(self, url, data, page_url=None, **kw):
        token = csrf(self.get(page_url or url))
        return self.client.post(url, data={**data, "csrf_token": token}, **kw)
