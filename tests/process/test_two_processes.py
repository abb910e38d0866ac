"""Two processes serving one case must behave as one (issue #17).

Two apps on one database stand in for two gunicorn workers: each has its own
cache of parsed specs. Requests alternate between them, so a message is
delivered by one and the task it creates is completed by the other. The same
journeys run through real gunicorn workers in tests/load/test_served_journeys.py.
"""
from __future__ import annotations

import pytest

from helpers import BUILT_APPS, released, shipped_app
from journeys import full_escalation, many_contacts, monitoring_refuses_contacts, strategy_with_equality_task_open
from process_driver import Driver
from service import create_app


class Alternating:
    """A test client whose requests go to each app in turn, in the given pattern."""

    def __init__(self, apps, pattern=(0, 1)):
        self.clients = [app.test_client() for app in apps]
        self.pattern, self.calls = pattern, 0

    def _next(self):
        client = self.clients[self.pattern[self.calls % len(self.pattern)]]
        self.calls += 1
        return client

    def get(self, *args, **kwargs):
        return self._next().get(*args, **kwargs)

    def post(self, *args, **kwargs):
        return self._next().post(*args, **kwargs)


@pytest.fixture
def two_apps(tmp_path):
    first = shipped_app(tmp_path)
    second = create_app({key: first.config[key] for key in (
        "TESTING", "ENV", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "DEMO_USERS", "WORKFLOWS_DIR", "FORMS_DIR",
        "DEFAULT_PROCESS", "WTF_CSRF_ENABLED")})
    BUILT_APPS.append(second)
    with released(first):
        yield first, second
    with released(second, pushed=False):
        pass


@pytest.mark.parametrize("pattern", [(0, 1), (0, 0, 1), (1, 1, 0, 0)], ids=["alternate", "two-one", "pairs"])
def test_fifty_contacts_with_the_equality_task_open(two_apps, pattern):
    driver = Driver(Alternating(two_apps, pattern))
    strategy_with_equality_task_open(driver)
    many_contacts(driver, 50)


@pytest.mark.parametrize("pattern", [(0, 1), (1, 1, 0)], ids=["alternate", "pairs"])
def test_the_full_escalation(two_apps, pattern):
    full_escalation(Driver(Alternating(two_apps, pattern)))


def test_a_monitoring_case_refuses_contacts_after_another_case_took_one(two_apps):
    active = Driver(Alternating(two_apps))
    strategy_with_equality_task_open(active)
    many_contacts(active, 2)  # each app has now delivered a contact
    monitoring_refuses_contacts(Driver(Alternating(two_apps)))
