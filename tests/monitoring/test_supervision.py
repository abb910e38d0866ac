"""Supervisor monitoring: filters, figures, actions and the diagram picture, on data built through the API."""
from __future__ import annotations

from datetime import datetime, timezone

from process_driver import Driver
from service.domain.casework.contacts import contact_log
from service.domain.monitoring import dashboard as monitoring, reports
from service.extensions import db
from service.models import Case
from service.services import context
from web_support import Staff

YEAR = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))


def build(client):
    """Four cases: closed without action, in monitoring, an active strategy with a breach and a dispute, a serious one."""
    closed = Driver(client).start()
    closed.do("manager_review", "line_manager", {"behaviour_unacceptable": False, "welfare_support_offered": True,
                                                 "decision": "no_further_action", "rationale": "r"})
    warned = Driver(client).to_monitoring(service_user_name="Wendy Warned")
    strategy = Driver(client).to_active_strategy(matter_reference="STRAT-1")
    strategy.send("breach_reported", {"breach_date": "2026-03-02", "description": "Calls"})
    strategy.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    strategy.send("dispute_received", {"received_date": "2026-03-02", "grounds": "g"})
    strategy.do("consider_dispute", "chief_executive", {"outcome": "uphold", "reasons": "r"})
    serious = Driver(client).start(behaviour_types=["violence"])
    serious.do("consider_police_report", "independent_review_manager",
               {"report_to_police": True, "police_reference": "CR/9", "rationale": "r"})
    return closed, warned, strategy, serious


def test_report_figures_come_from_the_record(process_app):
    build(process_app.test_client())
    report = reports.yearly_report(db.session, *YEAR)
    assert report.figures == {"cases_opened": 4, "warnings_issued": 1, "strategies_introduced": 1, "breaches": 1,
                              "police_referrals": 1, "disputes": 1, "reviews_done": 0, "reviews_overdue": 0}
    assert report.disputes == {"uphold": 1}
    assert report.per_month["2026-03"]["cases_opened"] == 4
    assert reports.yearly_report(db.session, *YEAR).figures == report.figures  # reproducible
    assert reports.yearly_report(db.session, YEAR[1], datetime(2028, 1, 1, tzinfo=timezone.utc)).figures[
        "cases_opened"] == 0


def test_each_filter(process_app):
    closed, warned, strategy, serious = build(process_app.test_client())

    def ids(**kw):
        rows, total = monitoring.list_cases(db.session, monitoring.MonitorFilters(**kw))
        assert total == len(rows)
        return sorted(c.id for c in rows)

    assert ids() == sorted(d.case["id"] for d in (closed, warned, strategy, serious))
    assert ids(stage="monitoring") == [warned.case["id"]]
    assert ids(status="closed") == [closed.case["id"]]
    assert ids(role="chief_executive") == []
    assert ids(role="case_officer") == [strategy.case["id"]]  # notify_dispute_outcome
    assert ids(role="line_manager") == [serious.case["id"]]
    assert ids(person="wendy") == [warned.case["id"]]
    assert ids(matter="STRAT") == [strategy.case["id"]]
    assert ids(opened_from=YEAR[1]) == []
    assert len(ids(opened_from=YEAR[0], opened_to=YEAR[1])) == 4
    assert ids(overdue=True) == []
    assert ids(person="50%") == []  # typed wildcards match literally
    closed.later(days=6)  # the dispute notice and the serious case's manager review were due in five days
    assert ids(overdue=True) == sorted([strategy.case["id"], serious.case["id"]])
    assert ids(overdue=True, role="line_manager") == [serious.case["id"]]
    csv_text = monitoring.export_csv(db.session, "supervisor", monitoring.MonitorFilters(stage="monitoring"))
    assert csv_text.splitlines()[1].startswith(f"{warned.case['id']},Wendy Warned,")


def test_the_picture_of_a_case_on_its_diagram(process_app):
    _, warned, strategy, _ = build(process_app.test_client())
    picture = monitoring.case_picture(context(), db.session.get(Case, warned.case["id"]))
    assert {"manager_review", "check_underlying_causes", "issue_warning"} <= set(picture["completed"])
    assert picture["active"] == ["monitoring"]
    assert {w["element_id"] for w in picture["waiting"]} >= {"monitoring_period"}
    picture = monitoring.case_picture(context(), db.session.get(Case, strategy.case["id"]))
    assert "contact_strategy" in picture["active"] and "notify_dispute_outcome" in picture["active_anywhere"]


def test_suspend_resume_terminate(process_app):
    client = process_app.test_client()
    driver = Driver(client).start()
    supervisor = Staff(process_app, "supervisor")
    case_id = driver.case["id"]

    def act(action, reason="Checking a complaint"):
        return supervisor.post_form(f"/monitoring/cases/{case_id}/action", {"action": action, "reason": reason},
                                    page_url=f"/monitoring/cases/{case_id}", follow_redirects=True)

    assert "Give a reason" in act("suspend", reason="").text
    assert "is now suspended" in act("suspend").text
    blocked = driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True,
                                                          "welfare_support_offered": True,
                                                          "decision": "no_further_action", "rationale": "r"},
                        status=409)
    assert "suspended" in blocked["message"]
    assert "is now active" in act("resume").text
    assert "is now terminated" in act("terminate").text
    case = driver.refresh().case
    assert case["status"] == "terminated" and case["ready_tasks"] == [] and case["waiting"] == []
    events = driver.as_("supervisor").get(f"/api/v1/cases/{case_id}/audit").get_json()["items"]
    assert [e["data"].get("reason") for e in events if e["action"].startswith("case_") and
            e["action"] not in ("case_started", "case_viewed")] == ["Checking a complaint"] * 3


def test_a_resume_goes_on_the_record_as_a_resume(process_app):
    """Found by the process explorer: the record said "case_resumeed", so the case page never showed the resume."""
    driver = Driver(process_app.test_client()).start()
    supervisor = Staff(process_app, "supervisor")
    case_id = driver.case["id"]
    for action in ("suspend", "resume"):
        supervisor.post_form(f"/monitoring/cases/{case_id}/action", {"action": action, "reason": "Complaint checked"},
                             page_url=f"/monitoring/cases/{case_id}")
    events = driver.as_("supervisor").get(f"/api/v1/cases/{case_id}/audit").get_json()["items"]
    assert [e["action"] for e in events if e["action"] in ("case_suspended", "case_resumed")] == [
        "case_suspended", "case_resumed"]
    assert "Resumed the case" in supervisor.get(f"/cases/{case_id}").text


def test_terminating_writes_the_case_once_and_a_wrong_action_is_worded_right(process_app):
    """Found by the process explorer: terminating wrote the case row twice (two versions for one
    action on the record), and refusals read "cannot be resumeed"."""
    driver = Driver(process_app.test_client()).start()
    supervisor = Staff(process_app, "supervisor")
    case_id = driver.case["id"]

    def act(action):
        return supervisor.post_form(f"/monitoring/cases/{case_id}/action", {"action": action, "reason": "Checked"},
                                    page_url=f"/monitoring/cases/{case_id}", follow_redirects=True)

    assert "cannot be resumed now" in act("resume").text
    version = db.session.get(Case, case_id).version
    act("terminate")
    db.session.expire_all()
    assert db.session.get(Case, case_id).version == version + 1
    assert "cannot be terminated now" in act("terminate").text


def test_pages_are_for_supervisors_only(process_app):
    build(process_app.test_client())
    assert Staff(process_app, "case_officer").get("/monitoring").status_code == 403
    supervisor = Staff(process_app, "supervisor")
    for url in ["/monitoring", "/monitoring/cases?stage=monitoring", "/monitoring/report?from=2026-01-01&to=2027-01-01",
                "/monitoring/cases/2"]:
        assert supervisor.get(url).status_code == 200, url
    report_csv = supervisor.get("/monitoring/report?from=2026-01-01&to=2027-01-01&format=csv").text
    assert "strategies_introduced,1" in report_csv and "disputes_uphold,1" in report_csv
    cases_csv = supervisor.get("/monitoring/cases?format=csv&status=active").text
    assert len(cases_csv.strip().splitlines()) == 4  # header + three active cases


def test_report_months_are_calendar_months_cut_to_the_period():
    months = list(reports._months(datetime(2025, 11, 15, 12, tzinfo=timezone.utc),
                                  datetime(2026, 2, 1, tzinfo=timezone.utc)))
    assert [m for m, _, _ in months] == ["2025-11", "2025-12", "2026-01"]
    assert months[0][1] == datetime(2025, 11, 15, 12, tzinfo=timezone.utc)  # starts where the period does
    assert months[1][1:] == (datetime(2025, 12, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert months[-1][2] == datetime(2026, 2, 1, tzinfo=timezone.utc)


def _supervisor_acts(process_app, case_id, action):
    response = Staff(process_app, "supervisor").post_form(
        f"/monitoring/cases/{case_id}/action", {"action": action, "reason": "Checking a complaint"},
        page_url=f"/monitoring/cases/{case_id}", follow_redirects=True)
    assert response.status_code == 200, response.text


def test_contacts_and_disputes_during_a_suspension_are_recorded_and_handled_on_resume(process_app):
    driver = Driver(process_app.test_client()).to_active_strategy()
    _supervisor_acts(process_app, driver.case["id"], "suspend")
    driver.send("contact_received", {"contact_date": "2026-03-02", "channel": "email", "summary": "Angry email"})
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    assert driver.refresh().case["status"] == "suspended" and driver.ready == []
    with process_app.app_context():
        assert [e.summary for e in contact_log(db.session, driver.case["id"])] == ["Angry email"]  # logged at once
    _supervisor_acts(process_app, driver.case["id"], "resume")
    assert driver.refresh().ready == ["consider_dispute", "review_incoming_contact"]


def test_terminating_a_case_with_a_strategy_in_force_drafts_the_restrictions_ended_letter(process_app):
    driver = Driver(process_app.test_client()).to_active_strategy()
    _supervisor_acts(process_app, driver.case["id"], "terminate")
    letter = driver.letters()["strategy_end_letter"]
    assert "OPCC-2026-17" in letter and "have now ended" in letter
