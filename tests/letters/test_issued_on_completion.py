"""Completing a task that names a letter issues it in the same transaction (issue #21 item 1, #18 item 7):
the PDF is kept, the email queued, the addresses come from the case's contact details; over the API."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from helpers import OFFICE, released, shipped_app
from journeys import full_escalation
from letter_support import letter_named, pdf_text
from process_driver import CONFIRMATIONS, INCIDENT, PROPOSAL, Driver
from service.domain.core import audit
from service.domain.core.transaction import transaction
from service.domain.correspondence import contact_details
from service.domain.monitoring import reports, supervision
from service.domain.people.users import find_user
from service.extensions import db
from service.models import AuditEvent, Letter, OutboundEmail
from service.services import context

YEAR = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))
WARNING = {"behaviour_summary": "Abuse of staff", "requested_changes": ["no_abuse_tolerated"],
           "consequences": "A contact strategy"}


def warning_task(driver: Driver, incident: dict = INCIDENT) -> Driver:
    """A case whose warning task is ready, from ``incident`` as recorded."""
    response = driver.as_("case_officer").post("/api/v1/cases", json=incident)
    assert response.status_code == 201, response.get_json()
    driver.case = response.get_json()
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": False,
                                                 "decision": "address_behaviour", "rationale": "Pattern"})
    driver.do("check_underlying_causes", "case_officer", {**{k: "yes" for k in [
        "process_explained", "handled_proportionately", "communicated_regularly", "support_offered",
        "rationale_given"]}, "additional_needs_identified": False})
    return driver


def to_notification(driver: Driver) -> Driver:
    driver.to_strategy_proposal()
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "Fine"})
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "approve", "comments": "Approved"})
    assert driver.ready == ["notify_contact_strategy"]
    return driver


def test_completing_the_warning_task_issues_the_letter_and_queues_its_email(driver):
    warning_task(driver).do("issue_warning", "case_officer", {**WARNING, "delivery": ["post", "email"]})
    case_id = driver.case["id"]
    letter = letter_named(case_id, "warning_letter")
    assert (letter.status, letter.channels, letter.issued_by) == ("issued", "post,email", "case_officer")
    assert letter.postal_address == "12 Elm Street\nAnytown\nAN3 4DE" and "12 Elm Street" in pdf_text(letter.pdf)
    email = db.session.query(OutboundEmail).filter_by(letter_id=letter.id).one()
    assert email.to_address == "sam@example.org"
    listed = driver.as_("case_officer").get(f"/api/v1/cases/{case_id}/letters").get_json()["items"]
    assert [item["name"] for item in listed] == ["warning_letter"]


def test_the_api_form_offers_delivery_from_the_contact_details_and_takes_addresses(driver):
    warning_task(driver)
    task = next(t for t in driver.case["ready_tasks"] if t["element_id"] == "issue_warning")
    form = driver.as_("case_officer").get(f"/api/v1/tasks/{task['id']}").get_json()["form"]
    assert form["properties"]["postal_address"]["default"] == "12 Elm Street\nAnytown\nAN3 4DE"
    assert form["properties"]["email"]["default"] == "sam@example.org"
    assert form["properties"]["delivery"]["default"] == ["post"]
    driver.do("issue_warning", "case_officer", {**WARNING, "delivery": ["post"], "postal_address": "Flat 2\nNew Road"})
    letter = letter_named(driver.case["id"], "warning_letter")
    assert letter.postal_address == "Flat 2\nNew Road" and "New Road" in pdf_text(letter.pdf)
    completed = db.session.query(AuditEvent).filter_by(case_id=driver.case["id"], action="task_completed",
                                                       element_id="issue_warning").one()
    assert "postal_address" not in completed.data  # the address is the case's, not the workflow's


def test_a_letter_with_no_address_to_go_to_is_refused_naming_the_field_and_nothing_changes(letters_app):
    incident = {k: v for k, v in INCIDENT.items() if k not in ("postal_address", "email")}
    driver = warning_task(Driver(letters_app.test_client()), incident)
    refused = driver.do("issue_warning", "case_officer", {**WARNING, "delivery": ["post"]}, status=422)
    assert list(refused["fields"]) == ["postal_address"] and "postal address" in refused["fields"]["postal_address"][0]
    assert db.session.query(Letter).count() == 0 and driver.refresh().ready == ["issue_warning"]
    driver.do("issue_warning", "case_officer", {**WARNING, "delivery": ["post"], "postal_address": "1 A Road"})
    assert letter_named(driver.case["id"], "warning_letter").status == "issued"


def test_the_strategy_is_in_place_only_once_its_letter_is_issued(driver):
    to_notification(driver)
    assert driver.case["stage"] == "notification"
    refused = driver.do("notify_contact_strategy", "case_officer",
                        {"delivery": ["email"], "email": "not an address", "agreement_sought": False}, status=422)
    assert "email" in refused["fields"]
    assert driver.refresh().case["stage"] == "notification" and db.session.query(Letter).count() == 0
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post", "email"], "agreement_sought": False})
    assert driver.case["stage"] == "strategy_active"
    letter = letter_named(driver.case["id"], "contact_strategy_letter")
    assert letter.status == "issued" and letter.channels == "post,email"
    issued = db.session.query(AuditEvent).filter_by(case_id=driver.case["id"], action="letter_issued").one()
    assert issued.element_id == "notify_contact_strategy"


def test_no_case_closes_with_a_letter_in_draft(driver):
    full_escalation(driver)
    assert driver.case["status"] == "closed"
    found = db.session.query(Letter).filter_by(case_id=driver.case["id"]).all()
    assert len(found) >= 6 and {letter.status for letter in found} == {"issued"}, [(f.name, f.status) for f in found]


@pytest.fixture
def both_ways(tmp_path):
    with released(shipped_app(tmp_path, **OFFICE, LETTERS_BY_POST_AND_EMAIL=True)) as app:
        yield Driver(app.test_client())


def test_an_office_that_sends_by_post_and_email_gets_both_unless_the_person_agreed_one_way(both_ways):
    to_notification(both_ways)
    task = next(t for t in both_ways.case["ready_tasks"] if t["element_id"] == "notify_contact_strategy")
    form = both_ways.as_("case_officer").get(f"/api/v1/tasks/{task['id']}").get_json()["form"]
    assert form["properties"]["delivery"]["default"] == ["post", "email"]
    refused = both_ways.do("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False},
                           status=422)
    assert "post and email" in refused["fields"]["delivery"][0]
    both_ways.do("notify_contact_strategy", "case_officer", {"delivery": ["post", "email"], "agreement_sought": False})
    assert letter_named(both_ways.case["id"], "contact_strategy_letter").channels == "post,email"


def test_yearly_figures_count_issued_letters_not_drafts(driver):
    to_notification(driver)
    case_id = driver.case["id"]
    with transaction(db.session):  # an older release's completions, whose letters stayed drafts
        for element in ("issue_warning", "notify_contact_strategy"):
            audit.record(db.session, "case_officer", "task_completed", case_id, element_id=element, data={})
    figures = reports.yearly_report(db.session, *YEAR).figures
    assert (figures["warnings_issued"], figures["strategies_introduced"]) == (0, 0)
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    warning_task(driver).do("issue_warning", "case_officer", {**WARNING, "delivery": ["email"]})
    figures = reports.yearly_report(db.session, *YEAR).figures
    assert (figures["warnings_issued"], figures["strategies_introduced"]) == (1, 1)


def test_a_supervisor_ending_a_strategy_issues_the_end_letter_the_way_the_person_agreed(driver):
    driver.to_active_strategy()
    case_id = driver.case["id"]
    with transaction(db.session):
        contact_details.update(context(), find_user(db.session, "case_officer"), case_id,
                               {"postal_address": "12 Elm Street", "email": "sam@example.org",
                                "preferred_channel": "email"})
    with transaction(db.session):
        supervision.act(context(), find_user(db.session, "supervisor"), case_id, "terminate", "Moved away")
    letter = letter_named(case_id, "strategy_end_letter")
    assert (letter.status, letter.channels, letter.recipient_email) == ("issued", "email", "sam@example.org")
    assert {found.status for found in db.session.query(Letter).filter_by(case_id=case_id)} == {"issued"}
