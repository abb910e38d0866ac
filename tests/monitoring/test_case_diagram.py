"""A case on its diagram: what is marked at each stage, drilling into called processes, the version filter."""
from __future__ import annotations

import io

import pytest

from helpers import CHECKOUT
from process_driver import CONFIRMATIONS, PROPOSAL, Driver
from service.domain.monitoring import dashboard as monitoring
from service.errors import NotFound
from service.extensions import db
from service.models import Case
from service.services import context
from web_support import Staff

FIRST_LOOK = {"behaviour_unacceptable": True, "welfare_support_offered": True, "decision": "address_behaviour",
              "rationale": "Pattern"}
CAUSES = {**{k: "yes" for k in ["process_explained", "handled_proportionately", "communicated_regularly",
                                "support_offered", "rationale_given"]}, "additional_needs_identified": False}


def at_causes_check(d):
    d.start().do("manager_review", "line_manager", FIRST_LOOK)


def at_warning(d):
    at_causes_check(d)
    d.do("check_underlying_causes", "case_officer", CAUSES)


def at_authorisation(d):
    d.to_strategy_proposal()
    d.do("propose_contact_strategy", "case_officer", PROPOSAL)
    d.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "Fine"})


def at_notification(d):
    at_authorisation(d)
    d.do("authorise_contact_strategy", "authorising_officer", {**CONFIRMATIONS, "decision": "approve", "comments": "Ok"})


def closed(d):
    d.start().do("manager_review", "line_manager", {**FIRST_LOOK, "decision": "no_further_action"})


# stage, how to get there, done (at least), active (exactly), waiting for (at least)
STAGES = [
    ("manager_review", lambda d: d.start(), {"record_incident"}, ["manager_review"], set()),
    ("causes_check", at_causes_check, {"record_incident", "manager_review"}, ["check_underlying_causes"], set()),
    ("warning", at_warning, {"manager_review", "check_underlying_causes"}, ["issue_warning"], set()),
    ("monitoring", lambda d: d.to_monitoring(), {"check_underlying_causes", "issue_warning"}, ["monitoring"],
     {"monitoring_period"}),
    ("strategy_proposal", lambda d: d.to_strategy_proposal(), {"manager_review"}, ["propose_contact_strategy"],
     set()),
    ("authorisation", at_authorisation, {"propose_contact_strategy", "consult_irm"}, ["authorise_contact_strategy"],
     set()),
    ("notification", at_notification, {"authorise_contact_strategy"}, ["notify_contact_strategy"], set()),
    ("strategy_active", lambda d: d.to_active_strategy(), {"notify_contact_strategy"},
     ["contact_strategy", "strategy_ended_by_chief_executive"],  # the Chief Executive can end it at any point
     {"breach_reported_start", "dispute_received_start"}),
    ("closed", closed, {"manager_review", "closed_no_action"}, [], set()),
]


@pytest.mark.parametrize("stage, get_there, done, active, waiting", STAGES, ids=[s[0] for s in STAGES])
def test_the_diagram_marks_for_a_case_in_each_stage(process_app, stage, get_there, done, active, waiting):
    driver = Driver(process_app.test_client())
    get_there(driver)
    case = db.session.get(Case, driver.case["id"])
    assert case.stage == stage
    picture = monitoring.case_picture(context(), case)
    assert done <= set(picture["completed"])
    assert not set(picture["completed"]) & set(active)
    assert picture["active"] == active
    assert waiting <= {w["element_id"] for w in picture["waiting"]}
    assert picture["process"] == "contact_management" and '<bpmn:process id="contact_management"' in picture["xml"]


def test_drilling_into_the_active_strategy_shows_its_own_marks(process_app):
    driver = Driver(process_app.test_client()).to_active_strategy()
    case = db.session.get(Case, driver.case["id"])
    main = monitoring.case_picture(context(), case)
    calls = {call["element_id"]: call for call in main["calls"]}
    assert calls["contact_strategy"] == {"element_id": "contact_strategy", "title": "Contact strategy in force",
                                         "process": "contact_strategy", "state": "active"}
    assert calls["breach_from_report"]["state"] == "not reached"
    inside = monitoring.case_picture(context(), case, "contact_strategy")
    assert '<bpmn:process id="contact_strategy"' in inside["xml"]  # not the main file, whose call activity shares the id
    assert {"strategy_start"} <= set(inside["completed"])
    assert inside["active"] == ["review_cycle", "review_due"]  # the embedded review cycle is drawn in this file
    assert [w["element_id"] for w in inside["waiting"]] == ["review_due"]
    assert [call["process"] for call in inside["calls"]] == ["strategy_amendment"]
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Calls"})
    breach = monitoring.case_picture(context(), db.session.get(Case, case.id), "breach_handling")
    assert breach["active"] == ["handle_breach"] and "breach_start" in breach["completed"]
    with pytest.raises(NotFound, match="no process 'nowhere'"):
        monitoring.case_picture(context(), case, "nowhere")


def test_the_monitor_page_links_into_called_processes_and_back(process_app):
    driver = Driver(process_app.test_client()).to_active_strategy()
    case_id = driver.case["id"]
    supervisor = Staff(process_app, "supervisor")
    main = supervisor.get(f"/monitoring/cases/{case_id}").text
    assert f'href="/monitoring/cases/{case_id}?process=contact_strategy"' in main
    # two call activities share a title: each says where it is
    assert "called at <code>breach_from_contact</code>" in main and "called at <code>breach_from_report</code>" in main
    inside = supervisor.get(f"/monitoring/cases/{case_id}?process=contact_strategy")
    assert inside.status_code == 200
    assert f'href="/monitoring/cases/{case_id}">Main process' in inside.text
    assert f'data-xml-url="/monitoring/cases/{case_id}/diagram.bpmn?process=contact_strategy"' in inside.text
    xml = supervisor.get(f"/monitoring/cases/{case_id}/diagram.bpmn?process=contact_strategy").text
    assert '<bpmn:process id="contact_strategy"' in xml
    missing = supervisor.get(f"/monitoring/cases/{case_id}?process=nowhere")
    assert missing.status_code == 404 and "no process &#39;nowhere&#39;" in missing.text
    events = driver.as_("supervisor").get(f"/api/v1/cases/{case_id}/audit").get_json()["items"]
    # the two pages are views of the case; the BPMN they draw holds no personal data and is not one
    assert [e["actor"] for e in events if e["action"] == "case_viewed"] == ["supervisor", "supervisor"]
    assert supervisor.get(f"/monitoring/cases/{case_id}/diagram.bpmn?process=nowhere").status_code == 404


def test_the_version_filter_separates_cases_by_the_version_they_run_on(process_app):
    client = process_app.test_client()
    before = Driver(client).start(matter_reference="OLD-1")
    owner = Driver(client).as_("process_owner")
    original = (CHECKOUT / "workflows" / "contact_management.bpmn").read_text()
    changed = original.replace('name="Discuss the incident and decide', 'name="Talk the incident through and decide')
    assert changed != original
    upload = owner.post("/api/v1/process-definitions", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(changed.encode()), "contact_management.bpmn"), "note": "v2"})
    assert upload.status_code == 201, upload.get_json()
    after = Driver(client).start(matter_reference="NEW-1")
    old_version, new_version = (db.session.get(Case, d.case["id"]).process_version_id for d in (before, after))
    assert old_version != new_version

    def ids(version):
        rows, _ = monitoring.list_cases(db.session, monitoring.MonitorFilters(version=version))
        return [c.id for c in rows]

    assert ids(new_version) == [after.case["id"]] and ids(old_version) == [before.case["id"]]
    supervisor = Staff(process_app, "supervisor")
    page = supervisor.get(f"/monitoring/cases?version={new_version}").text
    assert f'<option value="{new_version}" selected>contact_management v2</option>' in page
    assert "NEW-1" in page and "OLD-1" not in page
    exported = supervisor.get(f"/monitoring/cases?version={old_version}&format=csv").text.splitlines()
    assert len(exported) == 2 and "OLD-1" in exported[1] and exported[1].endswith("contact_management v1")


def test_a_supervisor_reassigns_a_task_from_the_monitor_page_with_a_reason(process_app):
    driver = Driver(process_app.test_client()).to_strategy_proposal()
    case_id = driver.case["id"]
    supervisor = Staff(process_app, "supervisor")
    page = supervisor.get(f"/monitoring/cases/{case_id}").text
    assert "Tasks waiting for someone" in page and 'for="reassign-1-reason"' in page
    task_id = driver.case["ready_tasks"][0]["id"]
    refused = supervisor.post_form(f"/tasks/{task_id}/reassign", {"username": "all_roles", "reason": ""},
                                   page_url=f"/monitoring/cases/{case_id}")
    assert refused.status_code == 422 and "Give a reason for reassigning" in refused.text
    done = supervisor.post_form(f"/tasks/{task_id}/reassign", {"username": "all_roles", "reason": "Officer on leave",
                                                              "next": f"/monitoring/cases/{case_id}"},
                                page_url=f"/monitoring/cases/{case_id}", follow_redirects=True)
    assert "is now with Demo all roles" in done.text
    timeline = done.text[done.text.index('id="timeline"'):]
    assert "Demo Supervisor. Gave Propose a contact strategy to Demo all roles: Officer on leave" in timeline
    events = driver.as_("supervisor").get(f"/api/v1/cases/{case_id}/audit").get_json()["items"]
    assert [e["data"] for e in events if e["action"] == "task_reassigned"] == [
        {"to": "all_roles", "reason": "Officer on leave"}]
