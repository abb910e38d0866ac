"""Signed-in browsers (Flask test clients) on the shipped workflows, and a way to set cases up."""
from __future__ import annotations

import re

import pytest

from helpers import CHECKOUT, make_app
from service.domain import cases, tasks
from service.domain.transaction import transaction
from service.domain.users import find_user
from service.extensions import db
from service.models import TaskRecord
from service.services import context

INCIDENT_FORM = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date-day": "1",
                 "incident_date-month": "3", "incident_date-year": "2026", "channel": "telephone",
                 "behaviour_types": ["verbal_abuse"], "description": "Shouted"}
INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date": "2026-03-01",
            "channel": "telephone", "behaviour_types": ["verbal_abuse"], "description": "Shouted"}
REVIEW = {"behaviour_unacceptable": True, "welfare_support_offered": True, "decision": "address_behaviour",
          "rationale": "A pattern"}
CAUSES = {**{k: "yes" for k in ["process_explained", "handled_proportionately", "communicated_regularly",
                                "support_offered", "rationale_given"]}, "additional_needs_identified": False}
WARNING = {"behaviour_summary": "Abuse of staff", "requested_changes": ["no_abuse_tolerated"],
           "consequences": "A contact strategy", "delivery": ["post"]}


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


class CaseSetup:
    """Moves cases along through the domain (fast), so a test can start at any stage."""

    def __init__(self, app):
        self.app = app

    def _as(self, username, call):
        with self.app.app_context():
            with transaction(db.session):
                result = call(context(), find_user(db.session, username))
                return getattr(result, "id", result)

    def start(self, username="case_officer", **fields) -> int:
        return self._as(username, lambda ctx, user: cases.start_case(ctx, user, {**INCIDENT, **fields}))

    def task(self, case_id, element_id) -> TaskRecord:
        with self.app.app_context():
            task = db.session.query(TaskRecord).filter_by(case_id=case_id, element_id=element_id,
                                                          status="ready").one()
            db.session.expunge(task)
            return task

    def complete(self, case_id, element_id, username, data):
        task_id = self.task(case_id, element_id).id
        return self._as(username, lambda ctx, user: tasks.complete_task(ctx, user, task_id, data))

    def send(self, case_id, name, data, username="case_officer"):
        return self._as(username, lambda ctx, user: cases.send_message(ctx, user, case_id, name, data))

    def to_monitoring(self, **fields) -> int:
        case_id = self.start(**fields)
        self.complete(case_id, "manager_review", "line_manager", REVIEW)
        self.complete(case_id, "check_underlying_causes", "case_officer", CAUSES)
        self.complete(case_id, "issue_warning", "case_officer", WARNING)
        return case_id

    def to_strategy_proposal(self, **fields) -> int:
        case_id = self.start(**fields)
        self.complete(case_id, "manager_review", "line_manager", {**REVIEW, "decision": "contact_strategy_now"})
        return case_id


@pytest.fixture
def web_app(tmp_path):
    """No app context stays pushed: each request must get its own ``g`` (Flask-WTF keeps the CSRF token there)."""
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def query(web_app):
    """Run a database query in a short app context of its own."""
    def run(fn):
        with web_app.app_context():
            return fn(db.session)
    return run


@pytest.fixture
def staff(web_app):
    cache = {}

    def sign_in(username):
        if username not in cache:
            cache[username] = Staff(web_app, username)
        return cache[username]
    return sign_in


@pytest.fixture
def setup(web_app):
    return CaseSetup(web_app)


@pytest.fixture
def recorded_case(staff):
    response = staff("case_officer").post_form("/cases/new", INCIDENT_FORM)
    assert response.status_code == 302, response.text
    return int(response.location.rstrip("/").split("/")[-1])
