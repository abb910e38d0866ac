"""One vocabulary (issue #21, item 6): a stage has one title in Cases, Monitoring and the modeller;
a case has one reference on every page and letter; policy codes lead to the clause's text; error
messages follow the GOV.UK Design System's wording."""
from __future__ import annotations

import json
import re

from service.domain.core.vocabulary import STAGE_TITLES
from web_support import main_text

INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date-day": "1",
            "incident_date-month": "3", "incident_date-year": "2026", "channel": "telephone",
            "behaviour_types": ["unreasonable_demands"], "description": "Shouted"}


def test_a_stage_has_the_same_title_in_cases_monitoring_and_the_modeller(staff, setup):
    setup.start()
    title = STAGE_TITLES["manager_review"]
    assert f"{title}" in main_text(staff("supervisor").get("/cases"))
    for page in ("/monitoring/cases", "/monitoring"):
        assert title in main_text(staff("supervisor").get(page)), page
    monitoring_filter = staff("supervisor").get("/monitoring/cases").text
    assert f">{STAGE_TITLES['causes_check']}</option>" in monitoring_filter and ">causes check<" not in monitoring_filter
    modeller = staff("process_owner").get("/modeller/processes/contact_management/edit").text
    options = json.loads(re.search(r'id="modeller-options">(.*?)</script>', modeller, re.S).group(1))
    assert options["stageTitles"] == STAGE_TITLES


def test_a_case_has_one_reference_everywhere(staff, setup):
    case_id = setup.start()
    reference = f"B-{case_id:06d}"
    assert f"Case {reference}" in main_text(staff("line_manager").get("/inbox"))
    assert f"Case {reference}" in main_text(staff("supervisor").get(f"/cases/{case_id}"))
    assert f"Case {reference}" in main_text(staff("supervisor").get(f"/monitoring/cases/{case_id}"))
    task = setup.task(case_id, "manager_review")
    assert f"Case {reference}" in main_text(staff("line_manager").get(f"/tasks/{task.id}"))
    assert f"Case {reference}" in main_text(staff("supervisor").get(f"/cases?q={reference}"))
    assert not re.search(r"\bCase \d", main_text(staff("supervisor").get(f"/cases/{case_id}")))


def test_a_first_breach_is_not_called_repeated(staff, setup):
    from web.test_task_deciding import active_strategy
    case_id = active_strategy(setup)
    setup.send(case_id, "breach_reported", {"breach_date": "2026-03-01", "description": "Rang the office"})
    setup.complete(case_id, "handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
    page = staff("independent_review_manager").get(f"/tasks/{setup.task(case_id, 'escalate_breach').id}")
    assert "<h1 class=\"govuk-heading-l\">Decide what to do about the breach</h1>" in page.text
    assert "repeated breaches" not in page.text


def test_policy_codes_link_to_the_clause_text(staff, setup):
    page = staff("line_manager").get(f"/tasks/{setup.task(setup.start(), 'manager_review').id}")
    assert '<a class="govuk-link" href="/policies#wm-4-1">WM 4.1</a>' in page.text
    policies = staff("line_manager").get("/policies")
    assert policies.status_code == 200
    clause = re.search(r'id="wm-4-1".*?</div>', policies.text, re.S).group(0)
    assert "discuss the unacceptable behavior with their line manager" in clause
    assert 'id="cle-9-6"' in policies.text and "notified in writing about the strategy" in policies.text


def test_errors_use_govuk_wording_and_one_date_format(staff):
    officer = staff("case_officer")
    page = officer.post_form("/cases/new", {**INCIDENT, "incident_date-year": "2027", "channel": "",
                                            "description": ""})
    summary = " ".join(re.sub(r"<[^>]+>", " ", re.search(r'<div class="govuk-error-summary".*?</ul>', page.text,
                                                          re.S).group(0)).split())
    assert "Date of the incident must be today or in the past" in summary
    assert "Select an answer to: How did they contact us?" in summary and "Enter what happened" in summary
    not_a_date = officer.post_form("/cases/new", {**INCIDENT, "incident_date-month": "13"})
    assert "Date of the incident must be a real date" in main_text(not_a_date)
    assert "For example, 27 3 2026" in main_text(not_a_date) and "2026-03-27" not in main_text(not_a_date)


def test_the_api_adds_the_same_reference_beside_the_id(setup, web_app):
    from helpers import ApiClient
    case_id = setup.start()
    body = ApiClient(web_app.test_client(), "supervisor").get(f"/api/v1/cases/{case_id}").get_json()
    assert body["id"] == case_id and body["reference"] == f"B-{case_id:06d}"
