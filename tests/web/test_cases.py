"""Cases: record an incident, the list (need to know), the case page, contact log, messages, letters."""
from __future__ import annotations

import re

from service.models import AuditEvent, Case, ContactLogEntry
from web_support import INCIDENT_FORM, main_text

FURTHER = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date-day": "2",
           "incident_date-month": "3", "incident_date-year": "2026", "channel": "email",
           "behaviour_types": ["threats"], "description": "A threatening email"}


def views(query, case_id):
    return query(lambda s: [e.actor for e in s.query(AuditEvent).filter_by(case_id=case_id, action="case_viewed")])


def test_a_case_officer_records_an_incident(staff, query):
    officer = staff("case_officer")
    page = officer.get("/cases/new")
    assert "<title>Record an incident" in page.text and 'name="incident_date-day"' in page.text
    assert 'href="/cases/new"' in page.text  # in the menu for case officers
    assert 'value="verbal_abuse"' in page.text and "Contact with staff in a personal capacity" in page.text
    assert 'data-reveal="call_ended-conditional"' in page.text
    done = officer.post_form("/cases/new", INCIDENT_FORM, follow_redirects=True)
    text = main_text(done)
    assert ("Incident recorded as case B-000001. Next on case B-000001: Discuss the incident and decide what happens next "
            "(for a Line Manager)") in text
    assert "<title>Case B-000001: Sam Jones" in done.text
    case = query(lambda s: s.get(Case, 1))
    assert (case.created_by, case.matter_reference, case.stage) == ("case_officer", "M-1", "manager_review")
    started = query(lambda s: s.query(AuditEvent).filter_by(action="case_started").one().data)
    assert started["incident_date"] == "2026-03-01" and started["behaviour_types"] == ["unreasonable_demands"]


def test_recording_an_incident_round_trips_its_errors(staff, query):
    officer = staff("case_officer")
    bad = officer.post_form("/cases/new", {**INCIDENT_FORM, "incident_date-year": "2099", "description": "",
                                           "call_ended": "yes"})
    text = main_text(bad)
    assert bad.status_code == 200 and text.startswith("There is a problem")
    assert "Date of the incident must be today or in the past" in text and "Enter what happened" in text
    assert "Enter a file note on ending the call" in text
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', bad.text, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', summary) == ["#incident_date-day", "#description", "#call_end_note"]
    assert 'value="Sam Jones"' in bad.text and 'value="2099"' in bad.text  # input kept
    assert re.search(r'value="unreasonable_demands" checked', bad.text) and re.search(r'value="telephone" checked', bad.text)
    assert query(lambda s: s.query(Case).count()) == 0
    not_a_date = officer.post_form("/cases/new", {**INCIDENT_FORM, "incident_date-month": "13"})
    assert "must be a real date" in main_text(not_a_date) and 'value="13"' in not_a_date.text


def test_only_case_officers_record_incidents(staff):
    manager = staff("line_manager")
    refused = manager.get("/cases/new")
    assert refused.status_code == 403 and "This page is for case officer only" in main_text(refused)
    assert 'href="/cases/new"' not in manager.get("/inbox").text


def test_the_case_list_shows_only_cases_i_may_see(staff, setup):
    mine = setup.start(matter_reference="MINE")
    setup.start(username="all_roles", matter_reference="THEIRS")
    officer_text = main_text(staff("case_officer").get("/cases"))
    # a case officer holds the role of no task yet on a case someone else started
    assert "MINE" in officer_text and "THEIRS" not in officer_text
    assert "Discuss the incident and decide what happens next (Line Manager)" in officer_text
    assert "MINE" in main_text(staff("line_manager").get("/cases"))  # holds the review task's role
    assert "There are no cases to show" in main_text(staff("dpo").get("/cases"))
    everything = main_text(staff("supervisor").get("/cases"))
    assert "MINE" in everything and "THEIRS" in everything and "As a supervisor you see every case" in everything
    assert f"Case B-{mine:06d}" in officer_text


def test_the_case_list_filters_and_pages(staff, setup):
    for number in range(26):
        setup.start(matter_reference=f"M-{number:02d}", service_user_name="Pat Lee" if number == 3 else "Sam Jones")
    closed = setup.start(matter_reference="DONE")
    setup.complete(closed, "manager_review", "line_manager", {"behaviour_unacceptable": False,
                                                              "welfare_support_offered": True,
                                                              "decision": "no_further_action", "rationale": "r"})
    supervisor = staff("supervisor")
    assert "27 cases" in main_text(supervisor.get("/cases"))
    assert "Next page" in main_text(supervisor.get("/cases")) and "Previous page" in main_text(
        supervisor.get("/cases?page=2"))
    assert "1 case " in main_text(supervisor.get("/cases?q=pat"))
    assert "10 cases" in main_text(supervisor.get("/cases?q=m-1"))  # M-10 to M-19
    assert "Case B-000004" in main_text(supervisor.get("/cases?q=4"))
    assert "Case B-000004" in main_text(supervisor.get("/cases?q=B-000004"))  # the reference on its letters
    only_closed = main_text(supervisor.get("/cases?status=closed"))
    assert "1 case " in only_closed and "DONE" in only_closed and "Closed" in only_closed
    assert "26 cases" in main_text(supervisor.get("/cases?stage=manager_review"))
    assert "No cases match" in main_text(supervisor.get("/cases?q=nobody"))


def test_need_to_know_hides_cases_with_a_404_everywhere(staff, setup):
    case_id = setup.to_monitoring()
    dpo = staff("dpo")
    for url in [f"/cases/{case_id}", f"/cases/{case_id}/contacts/new", f"/cases/{case_id}/messages/further_incident",
                f"/cases/{case_id}/letters/1", f"/cases/{case_id}/letters/1/print"]:
        response = dpo.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in main_text(response) and "Sam Jones" not in response.text
    assert dpo.post_form(f"/cases/{case_id}/messages/further_incident", FURTHER,
                         page_url="/inbox").status_code == 404
    assert staff("line_manager").get(f"/cases/{case_id}").status_code == 200
    assert staff("supervisor").get(f"/cases/{case_id}").status_code == 200
    assert staff("case_officer").get("/cases/999").status_code == 404


def test_every_view_of_a_case_or_its_letters_is_recorded(staff, setup, query):
    case_id = setup.to_monitoring()
    staff("supervisor").get(f"/cases/{case_id}")
    staff("line_manager").get(f"/cases/{case_id}")
    staff("case_officer").get(f"/cases/{case_id}/letters/1")
    staff("case_officer").get(f"/cases/{case_id}/letters/1/print")
    assert views(query, case_id) == ["supervisor", "line_manager", "case_officer", "case_officer"]
    staff("dpo").get(f"/cases/{case_id}")
    assert len(views(query, case_id)) == 4  # a refused look is not a view
    page = main_text(staff("supervisor").get(f"/cases/{case_id}"))
    assert "Who has looked at this case (5 views)" in page and "Demo Line Manager, 2 March 2026 at 09:00" in page


def test_pages_showing_the_case_beside_a_form_record_the_view_once(staff, setup, query):
    case_id = setup.to_monitoring()
    officer, manager = staff("case_officer"), staff("line_manager")
    officer.get(f"/cases/{case_id}/contacts/new")
    officer.get(f"/cases/{case_id}/messages/further_incident")
    second = setup.start()
    manager.get(f"/tasks/{setup.task(second, 'manager_review').id}")
    assert views(query, case_id) == ["case_officer", "case_officer"] and views(query, second) == ["line_manager"]
    officer.client.post(f"/cases/{case_id}/contacts/new", data={"summary": "x", "csrf_token": "nope"})
    officer.post_form(f"/cases/{case_id}/contacts/new", {"summary": ""}, page_url="/inbox")  # redrawn with errors
    assert views(query, case_id) == ["case_officer", "case_officer"]


def test_the_case_page_tells_the_story_in_plain_english(staff, setup):
    case_id = setup.to_monitoring()
    text = main_text(staff("case_officer").get(f"/cases/{case_id}"))
    assert "Status Open" in text and "Stage Monitoring after a warning" in text
    assert "Opened 2 March 2026 by Demo Case Officer" in text
    assert "Waiting until" in text and "2 June 2026" in text  # the monitoring period (P3M)
    assert "No task is waiting for anyone: the case is waiting for something to happen" in text
    record = text[text.index("Record of actions and decisions"):]
    assert record.index("Recorded the incident") < record.index(
        "Completed: Discuss the incident and decide what happens next") < record.index("Letter produced")
    assert "What happens next? Address the behaviour" in record and "Was the behaviour unacceptable? Yes" in record
    assert "Letter produced: Warning about your contact with us" in record
    assert "Demo Line Manager, 2 March 2026 at 09:00" in record


def test_the_next_tasks_and_who_holds_them(staff, setup):
    case_id = setup.start(behaviour_types=["violence"])
    staff("line_manager").post_form(f"/tasks/{setup.task(case_id, 'manager_review').id}/claim", {},
                                    page_url="/inbox")
    text = main_text(staff("supervisor").get(f"/cases/{case_id}"))
    assert "Discuss the incident and decide what happens next Line Manager Demo Line Manager" in text
    assert "Consider reporting to the police Independent Review Manager Anyone in the role" in text


def test_a_contact_is_added_to_the_log(staff, setup, query):
    case_id = setup.start()
    officer = staff("case_officer")
    page = officer.get(f"/cases/{case_id}/contacts/new")
    assert 'name="contact_date-day"' in page.text and "Sam Jones" in main_text(page)  # the case beside it
    bad = officer.post_form(f"/cases/{case_id}/contacts/new", {"contact_date-day": "1", "contact_date-month": "4",
                                                               "contact_date-year": "2026", "channel": "email"})
    text = main_text(bad)
    assert "The date of the contact cannot be in the future" in text and "Enter a summary of the contact" in text
    assert 'value="4"' in bad.text and re.search(r'value="email" checked', bad.text)
    assert query(lambda s: s.query(ContactLogEntry).count()) == 0
    done = officer.post_form(f"/cases/{case_id}/contacts/new", {"contact_date-day": "1", "contact_date-month": "3",
                                                                "contact_date-year": "2026", "channel": "email",
                                                                "summary": "Asked for an update"},
                             follow_redirects=True)
    text = main_text(done)
    assert "The contact is in the log" in text and "1 March 2026 Email Asked for an update Demo Case Officer" in text
    assert "Added a contact to the log" in text and "Summary of the contact Asked for an update" in text


def test_messages_are_offered_only_when_the_case_can_take_them(staff, setup, query):
    early = setup.start()
    officer = staff("case_officer")
    offered = main_text(officer.get(f"/cases/{early}"))
    assert "What you can record now Record a social media post" in offered  # at any stage (WM social media)
    assert "Log a further incident" not in offered
    not_now = officer.get(f"/cases/{early}/messages/further_incident")
    assert not_now.status_code == 409 and "cannot take this now" in main_text(not_now)
    assert officer.get(f"/cases/{early}/messages/no_such_message").status_code == 404

    case_id = setup.to_monitoring()
    page = main_text(officer.get(f"/cases/{case_id}"))
    assert "What you can record now Log a further incident" in page and "Record a social media post" in page
    assert "Report a breach" not in page and "Record a dispute" not in page  # no strategy is active
    assert officer.get(f"/cases/{case_id}/messages/breach_reported").status_code == 409
    form = officer.get(f"/cases/{case_id}/messages/further_incident")
    assert "<title>Log a further incident" in form.text and 'name="behaviour_types"' in form.text
    assert 'id="service_user_name" name="service_user_name" type="text" value="Sam Jones"' in form.text  # pre-filled
    bad = officer.post_form(f"/cases/{case_id}/messages/further_incident", {**FURTHER, "description": ""})
    assert "There is a problem" in main_text(bad) and 'value="2"' in bad.text
    done = officer.post_form(f"/cases/{case_id}/messages/further_incident", FURTHER, follow_redirects=True)
    text = main_text(done)
    assert f"Done: logged a further incident. Next on case B-{case_id:06d}:" in text
    next_steps = text[text.index(f"Next on case B-{case_id:06d}:"):].split(".")[0]
    # threats: the police are considered beside the strategy (SCO 3.2), in whichever order the engine lists them
    assert "Consider reporting to the police" in next_steps and "Propose a contact strategy" in next_steps
    assert "Logged a further incident" in text and "What behaviour was shown? Threats" in text
    assert "Log a further incident" not in text[:text.index("Record of actions")]  # no longer offered
    event = query(lambda s: s.query(AuditEvent).filter_by(action="message_received").one())
    assert event.data["name"] == "further_incident" and event.data["payload"]["incident_date"] == "2026-03-02"


def test_letters_can_be_read_and_printed(staff, setup):
    case_id = setup.to_monitoring()
    officer = staff("case_officer")
    case_page = officer.get(f"/cases/{case_id}")
    assert f'href="/cases/{case_id}/letters/1"' in case_page.text
    page = officer.get(f"/cases/{case_id}/letters/1")
    assert "<title>Warning about your contact with us" in page.text and "<iframe" in page.text
    assert "Issued 2 March 2026 at 09:00 by case_officer Sent by post" in main_text(page)  # with its task
    printable = officer.get(f"/cases/{case_id}/letters/1/print")
    assert printable.status_code == 200 and printable.mimetype == "text/html"
    assert "Dear Sam Jones" in printable.text and "govuk-header" not in printable.text
    assert officer.get(f"/cases/{case_id}/letters/9").status_code == 404


def test_the_menu_marks_the_page_you_are_on(staff, setup):
    case_id = setup.start()
    officer = staff("case_officer")

    def current(url):
        return re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)" aria-current="page"',
                          officer.get(url).text)
    assert current("/cases/new") == ["/cases/new"]
    assert current("/cases") == ["/cases"] and current(f"/cases/{case_id}") == ["/cases"]
    assert current("/inbox") == ["/inbox"]


def test_a_nul_in_a_message_name_in_the_address_is_a_clear_error_not_a_500(staff, recorded_case):
    """Issue #19, item 11: the name reached the file system, which refused it with a ValueError."""
    page = staff("case_officer").get(f"/cases/{recorded_case}/messages/nud%00ge")
    assert page.status_code == 422 and "NUL character" in page.text


def test_a_contact_added_by_hand_during_a_strategy_is_reviewed(staff, setup, query):
    case_id = setup.to_strategy_proposal()
    setup.complete(case_id, "propose_contact_strategy", "case_officer", {
        "objective": "Keep contact manageable", "matter_status": "ongoing",
        "restrictions": [{"type": "email_only", "detail": "one mailbox"}],
        "reason": "Abusive calls", "proportionality": "Tried else", "fresh_matters_route": "Write to complaints",
        "review_interval": "P1M", "adjustments_considered": False})
    setup.complete(case_id, "consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    setup.complete(case_id, "authorise_contact_strategy", "authorising_officer", {
        **{k: True for k in ["matter_properly_considered", "communication_adequate", "access_requirements_considered",
                             "misunderstandings_addressed", "fair_reasonable_proportionate"]},
        "decision": "approve", "comments": "ok"})
    setup.complete(case_id, "notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    done = staff("case_officer").post_form(f"/cases/{case_id}/contacts/new", {
        "contact_date-day": "2", "contact_date-month": "3", "contact_date-year": "2026", "channel": "letter",
        "summary": "A long letter"}, follow_redirects=True)
    assert "a case officer will review it" in main_text(done)
    assert setup.task(case_id, "review_incoming_contact").status == "ready"  # CLE 9.10: every contact is read
    assert query(lambda s: [e.summary for e in s.query(ContactLogEntry)]) == ["A long letter"]
