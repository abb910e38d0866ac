"""Deploy makes a new version; new cases start on it; running cases stay on theirs;
every version can be downloaded; the definitions page shows who, when, why and how many cases."""
from __future__ import annotations

import io
import re

from modeller_support import SIMPLE
from service.models import AuditEvent, ProcessVersion


def deploy(pages, text: str, note: str = "renamed"):
    return pages.json("/modeller/deploy", {"filename": "simple.bpmn", "xml": text, "note": note, "confirm": True})


def test_a_deploy_from_the_editor_is_a_new_version_recorded_in_the_audit(pages):
    answer = deploy(pages, SIMPLE.replace('name="First review"', 'name="First look"'), "clearer name")
    assert answer.status_code == 201
    version = answer.get_json()["version"]
    assert version["number"] == 2 and version["label"] == "fixture_process v2"
    assert version["migrate_url"].endswith(f"/processes/versions/{version['id']}/migrate")
    stored = ProcessVersion.query.filter_by(number=2).one()
    assert stored.deployed_by == "process_owner" and stored.note == "clearer name"
    event = AuditEvent.query.filter_by(action="process_deployed").one()
    assert event.actor == "process_owner" and event.data["version"] == 2 and event.case_id is None


def test_new_cases_start_on_the_new_version_and_running_ones_stay(pages, start_case, complete):
    running = start_case()
    assert deploy(pages, SIMPLE.replace('name="Approve"', 'name="Sign off"')).status_code == 201
    fresh = start_case(matter_reference="M-200")
    assert fresh["process_version"] == "fixture_process v2"
    moved_on = complete(running, {"notes": "read"})
    assert moved_on["process_version"] == "fixture_process v1"
    assert moved_on["ready_tasks"][0]["title"] == "Approve"


def test_the_definitions_page_lists_versions_with_who_when_why_and_active_cases(pages, start_case):
    start_case()
    deploy(pages, SIMPLE.replace('name="First review"', 'name="First look"'), "clearer name")
    page = pages.get("/modeller/processes").text
    rows = re.findall(r'<tr class="govuk-table__row" data-version="(\d+)">(.*?)</tr>', page, re.S)
    assert [number for number, _ in rows] == ["2", "1"]
    newest, oldest = rows[0][1], rows[1][1]
    assert "Current" in newest and "Current" not in oldest
    assert "process_owner" in newest and "clearer name" in newest and "2 March 2026" in newest
    assert re.search(r"data-active-cases>0<", newest) and re.search(r"data-active-cases>1<", oldest)
    assert "system" in oldest and "fixture" in oldest


def test_any_version_downloads_as_deployed_from_the_page_and_the_api(pages, as_user):
    deploy(pages, SIMPLE.replace('name="First review"', 'name="First look"'))
    v1 = ProcessVersion.query.filter_by(number=1).one()
    page = pages.get(f"/modeller/processes/versions/{v1.id}/files/simple.bpmn")
    assert page.status_code == 200 and page.text == SIMPLE
    assert 'filename="simple-v1.bpmn"' in page.headers["Content-Disposition"]
    api = as_user("process_owner").get("/api/v1/process-definitions/fixture_process/versions/2/files/simple.bpmn")
    assert api.status_code == 200 and "First look" in api.text
    missing = as_user("process_owner").get("/api/v1/process-definitions/fixture_process/versions/9/files/simple.bpmn")
    assert missing.status_code == 404


def test_the_editor_gets_a_drawing_for_a_file_without_one(pages):
    v1 = ProcessVersion.query.filter_by(number=1).one()
    assert "BPMNDiagram" not in SIMPLE
    drawn = pages.get(f"/modeller/processes/versions/{v1.id}/diagram/simple.bpmn").text
    for element in ("start", "first_review", "approve", "decide", "lane_manager", "fixture_participant"):
        assert f'bpmnElement="{element}"' in drawn
    assert 'bpmnElement="f_yes"' in drawn and "<di:waypoint" in drawn


def test_uploading_from_the_page_validates_like_the_api(pages):
    broken = SIMPLE.replace('decision == "approve"', "__import__('os')").encode()
    refused = pages.form("/modeller/processes/upload", {"note": "broken", "file": (io.BytesIO(broken), "simple.bpmn")},
                         content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "f_yes" in refused.text and "govuk-error-summary" in refused.text
    assert ProcessVersion.query.count() == 1
    accepted = pages.form("/modeller/processes/upload", {"note": "ok",
                                                         "file": (io.BytesIO(SIMPLE.encode()), "simple.bpmn")},
                          content_type="multipart/form-data")
    assert accepted.status_code == 302
    assert ProcessVersion.query.count() == 2


def test_the_modeller_page_carries_the_choices_for_the_properties_panel(pages):
    page = pages.get("/modeller/processes/fixture_process/edit").text
    assert "fixture_review.schema.json" in page and "Line Manager" in page and "monitoring" in page
    assert "messages/nudge" not in page.split('id="modeller-options"')[1].split("</script>")[0]
    assert "bpmn-modeler.production.min.js" in page and "bpmn-js-properties-panel.umd.js" in page


# -- deploying is deliberate (issue #22): a note, the changes, a confirm -----------
def test_the_modeller_deploy_needs_a_note_and_a_confirm_and_changes_nothing_without(pages):
    renamed = SIMPLE.replace('name="First review"', 'name="First look"')
    no_note = pages.json("/modeller/deploy", {"filename": "simple.bpmn", "xml": renamed, "note": "  ", "confirm": True})
    assert no_note.status_code == 422 and "note" in no_note.get_json()["fields"]
    unconfirmed = pages.json("/modeller/deploy", {"filename": "simple.bpmn", "xml": renamed, "note": "clearer"})
    assert unconfirmed.status_code == 422 and "confirm" in unconfirmed.get_json()["fields"]
    assert ProcessVersion.query.count() == 1


def test_the_confirm_step_lists_elements_added_removed_and_changed_with_their_form_and_properties(pages):
    changed = (SIMPLE.replace('name="First review"', 'name="First look"')
               .replace("fixture_review.schema.json", "fixture_follow_up.schema.json")
               .replace('value="P10D"', 'value="P5D"')
               .replace('<bpmn:endEvent id="end_rejected" name="Rejected">', '<bpmn:endEvent id="end_refused" name="Refused">')
               .replace('targetRef="end_rejected"', 'targetRef="end_refused"'))
    answer = pages.json("/modeller/changes", {"filename": "simple.bpmn", "xml": changed}).get_json()
    assert answer["ok"] is True and answer["current"] == "fixture_process v1"
    changes = answer["changes"]
    assert [c["element_id"] for c in changes["added"]] == ["end_refused"]
    assert [c["element_id"] for c in changes["removed"]] == ["end_rejected"]
    details = {c["element_id"]: c["details"] for c in changes["changed"]}
    assert "name: 'First review' → 'First look'" in details["first_review"]
    assert "form: 'fixture_review.schema.json' → 'fixture_follow_up.schema.json'" in details["first_review"]
    assert details["follow_up"] == ["due period: 'P10D' → 'P5D'"]
    assert details["f_no"] == ["to: 'end_rejected' → 'end_refused'"]
    assert changes["summary"] == "Elements: 1 added, 1 removed, 3 changed."
    assert ProcessVersion.query.count() == 1  # looking is not deploying


def test_the_confirm_step_shows_problems_instead_of_changes_when_the_diagram_would_be_refused(pages):
    no_form = SIMPLE.replace('<spiffworkflow:property name="formJsonSchemaFilename" value="fixture_approve.schema.json" />',
                             "")
    answer = pages.json("/modeller/changes", {"filename": "simple.bpmn", "xml": no_form}).get_json()
    assert answer["ok"] is False and {p["element_id"] for p in answer["problems"]} == {"approve", "decide"}


def test_the_versions_page_says_who_deployed_what_and_why(pages):
    deploy(pages, SIMPLE.replace('value="P10D"', 'value="P5D"'), "follow-ups are due sooner")
    page = pages.get("/modeller/processes").text
    rows = dict(re.findall(r'<tr class="govuk-table__row" data-version="(\d+)">(.*?)</tr>', page, re.S))
    assert "process_owner" in rows["2"] and "follow-ups are due sooner" in rows["2"]
    assert "Elements: 1 changed." in rows["2"] and "due period: &#39;P10D&#39; → &#39;P5D&#39;" in rows["2"]
    assert "First version." in rows["1"]
    event = AuditEvent.query.filter_by(action="process_deployed").one()
    assert event.data["note"] == "follow-ups are due sooner" and event.data["changes"] == "Elements: 1 changed."


def test_the_upload_page_needs_a_note(pages):
    answer = pages.form("/modeller/processes/upload", {"file": (io.BytesIO(SIMPLE.encode()), "simple.bpmn"), "note": ""},
                        content_type="multipart/form-data")
    assert answer.status_code == 422 and 'id="note-error"' in answer.text and "Say why you are deploying" in answer.text
    assert ProcessVersion.query.count() == 1


def test_the_api_deploy_needs_a_note_naming_the_field(as_user):
    owner = as_user("process_owner")
    answer = owner.post("/api/v1/process-definitions", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(SIMPLE.replace("First review", "First look").encode()), "simple.bpmn")})
    assert answer.status_code == 422 and "note" in answer.get_json()["fields"]
    as_xml = owner.post("/api/v1/process-definitions?filename=simple.bpmn&note=renamed",
                        data=SIMPLE.replace("First review", "First look"), content_type="application/xml")
    assert as_xml.status_code == 201 and as_xml.get_json()["note"] == "renamed"
