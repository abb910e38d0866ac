"""Crafted numbers and periods are clear 4xx answers naming the field, never 500s (issue #19, item 11).

A 20-digit ``page``, ``version`` or ``case_ids`` reached the database, which
cannot hold it; a report from 0001-01-01 to 9999-12-31 was 120,000 queries; a
diagram whose ``letter`` names no template deployed and failed at the task.
"""
from __future__ import annotations

import pytest

from helpers import FIXTURES
from service.domain.definitions import modeller
from service.services import context

HUGE = "99999999999999999999"


@pytest.mark.parametrize("url, field", [
    (f"/monitoring/cases?page={HUGE}", "page"),
    (f"/monitoring/cases?version={HUGE}", "version"),
    (f"/monitoring/cases?format=csv&version={HUGE}", "version"),
])
def test_a_huge_number_in_the_monitoring_filters_is_a_422_naming_it(staff, url, field):
    page = staff("supervisor").get(url)
    assert page.status_code == 422 and f"{field} must be a whole number" in page.text


@pytest.mark.parametrize("query", ["from=0001-01-01&to=9999-12-31", "from=0001-01-01&to=9999-12-31&format=csv",
                                   "from=2026-03-01&to=2025-03-01"])
def test_a_report_period_out_of_range_is_a_422(staff, query):
    page = staff("supervisor").get(f"/monitoring/report?{query}")
    assert page.status_code == 422 and ("at most ten years" in page.text or "before its start date" in page.text)


def test_a_huge_case_id_in_the_subject_access_export_is_a_422(staff):
    answer = staff("dpo").post_form("/data-protection/subject-access/export", {"case_ids": [HUGE]},
                                    page_url="/data-protection/subject-access")
    assert answer.status_code == 422 and "case_ids must be a whole number" in answer.text


def test_a_huge_version_in_the_editor_address_is_a_422(staff):
    page = staff("process_owner").get(f"/modeller/processes/contact_management/edit?version={HUGE}")
    assert page.status_code == 422 and "version must be a whole number" in page.text


def test_a_diagram_whose_letter_has_no_template_is_refused_naming_the_element(web_app):
    text = (FIXTURES / "workflows" / "simple.bpmn").read_text().replace(
        '<spiffworkflow:property name="stage" value="manager_review" />',
        '<spiffworkflow:property name="stage" value="manager_review" />'
        '<spiffworkflow:property name="letter" value="no_such_letter" />')
    with web_app.app_context():
        problems = modeller.check_diagram(context(), {"simple.bpmn": text.encode()})
    [problem] = [p for p in problems if "no_such_letter" in p.message]
    assert problem.element_id == "first_review" and "has no template" in problem.message
