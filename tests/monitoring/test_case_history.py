"""History on the diagram (issue #22): the monitor page marks every element a case completed,
inside finished called processes and pruned repetitions too, with how often, and incidents.

Before, the marks came only from the live engine tree, which drops each finished
breach, dispute and review cycle: completed dispute, breach and amendment work
showed as "not reached".
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from journeys import breach_amendment_and_dispute
from process_driver import Driver
from service.domain.monitoring import dashboard as monitoring
from service.engine import CaseRun, clock
from service.extensions import db
from service.models import Case, EngineIncident, TimerFailure
from service.services import context
from web_support import Staff


@pytest.fixture
def case_id(process_app):
    return breach_amendment_and_dispute(Driver(process_app.test_client()))


def picture(case_id: int, process: str | None = None) -> dict:
    return monitoring.case_picture(context(), db.session.get(Case, case_id), process)


def test_finished_breaches_disputes_and_amendments_are_marked_done_with_counts(case_id):
    main = picture(case_id)
    assert {"on_breach_reported", "breach_reported_start", "breach_from_report", "on_dispute_received",
            "dispute_received_start", "handle_dispute"} <= set(main["completed"])
    assert main["counts"]["breach_from_report"] == 2 and main["counts"]["on_breach_reported"] == 2
    assert "on_dispute_received" not in main["counts"]  # once: marked, no count
    calls = {call["element_id"]: call["state"] for call in main["calls"]}
    assert calls["breach_from_report"] == "done" and calls["handle_dispute"] == "done"

    breach = picture(case_id, "breach_handling")
    assert {"breach_start", "handle_breach", "escalate_gateway", "escalate_breach", "amend_after_breach",
            "strategy_tightened", "breach_handled"} <= set(breach["completed"])
    assert breach["counts"]["handle_breach"] == 2 and "escalate_breach" not in breach["counts"]

    amendment = picture(case_id, "strategy_amendment")
    assert {"amendment_start", "authorise_amendment", "notify_strategy_change", "amendment_done"} <= set(
        amendment["completed"])
    assert amendment["counts"]["authorise_amendment"] == 2 and amendment["counts"]["notify_strategy_change"] == 2
    assert "revise_amendment" not in amendment["completed"]  # never returned for revision

    dispute = picture(case_id, "dispute_handling")
    assert {"consider_dispute", "amend_after_dispute", "notify_dispute_outcome", "dispute_decided"} <= set(
        dispute["completed"])


def test_task_rows_mark_user_tasks_of_cases_pruned_before_the_engine_kept_counts(case_id):
    """A case saved before this change has no pruned history in its state: the task rows still tell."""
    case = db.session.get(Case, case_id)
    run = CaseRun.load(context().bundles.get(case.process_version), case.state)
    run.workflow.task_tree.internal_data.pop("boundary_pruned_history")
    case.state = run.dump()
    db.session.commit()
    breach = picture(case_id, "breach_handling")
    assert {"handle_breach", "escalate_breach"} <= set(breach["completed"])
    assert breach["counts"]["handle_breach"] == 2


def test_an_open_engine_incident_is_marked_on_its_element(process_app):
    driver = Driver(process_app.test_client()).to_active_strategy()
    case_id = driver.case["id"]
    db.session.add(EngineIncident(case_id=case_id, element_id="notify_contact_strategy", title="Tell the person",
                                  action="complete_task", actor="case_officer", error="boom", created_at=clock.now()))
    db.session.add(TimerFailure(case_id=case_id, attempts=5, next_attempt_at=clock.now(), last_error="x",
                                is_incident=True))
    db.session.commit()
    main = picture(case_id)
    marked = {i["element_id"]: i["text"] for i in main["incidents"]}
    assert "could not move on" in marked["notify_contact_strategy"]
    assert "failed to fire 5 times" in marked[None]  # no timer is due yet: the case, not an element
    clock.advance(timedelta(days=40))  # the review is due: the failing timer is the one marked
    strategy = {i["element_id"]: i["text"] for i in picture(case_id, "contact_strategy")["incidents"]}
    assert "failed to fire 5 times" in strategy["review_due"] and "retry it from the dashboard" in strategy["review_due"]


def test_the_monitor_page_carries_counts_and_incidents_for_the_diagram_and_in_words(process_app):
    case_id = breach_amendment_and_dispute(Driver(process_app.test_client()))
    page = Staff(process_app, "supervisor").get(f"/monitoring/cases/{case_id}?process=breach_handling").text
    marks = json.loads(re.search(r'<script type="application/json" id="case-picture">(.*?)</script>', page,
                                 re.S).group(1))
    assert marks["counts"]["handle_breach"] == 2 and "handle_breach" in marks["completed"]
    history = page[page.index('id="element-history"'):]
    assert "Handle the breach: done 2 times" in history
