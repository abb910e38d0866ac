"""Shared by the modeller tests: the fixture diagram, an incident, and a signed-in page client."""
from __future__ import annotations

import re

from flask import g

from helpers import FIXTURES

SIMPLE = (FIXTURES / "workflows" / "simple.bpmn").read_text()
INCIDENT = {"service_user_name": "Alex Smith", "matter_reference": "M-100", "incident_date": "2026-03-01",
            "wait_period": "P3M"}


class PageClient:
    """A browser-like client: signed in through the sign-in form, sends the CSRF token."""

    def __init__(self, client, username: str):
        self.client = client
        # Tests run inside one app context, where Flask-WTF caches the token in ``g``:
        # forget it so this client gets one for its own session.
        g.pop("csrf_token", None)
        token = _csrf(client.get("/sign-in").text)
        response = client.post("/sign-in", data={"username": username, "password": "demo", "csrf_token": token})
        assert response.status_code == 302, response.text
        self.token = token  # the session keeps the same CSRF secret after signing in

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def form(self, url, data=None, **kw):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kw)

    def json(self, url, body):
        return self.client.post(url, json=body, headers={"X-CSRFToken": self.token})


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf[_-]token" (?:value|content)="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
