"""Validate before deploy: every kind of problem comes back naming its element, in plain English,
and nothing is deployed while any remain."""
from __future__ import annotations

import json

import pytest

from modeller_support import SIMPLE, PageClient
from service.domain.definitions import modeller
from service.models import ProcessVersion

CALL = ('<bpmn:callActivity id="call_missing" name="Extra check" calledElement="not_uploaded">'
        '<bpmn:incoming>f_end</bpmn:incoming><bpmn:outgoing>f_after</bpmn:outgoing></bpmn:callActivity>'
        '<bpmn:sequenceFlow id="f_after" sourceRef="call_missing" targetRef="end_done" />')
SCRIPT = ('<bpmn:scriptTask id="tally" name="Tally"><bpmn:incoming>f_end</bpmn:incoming>'
          '<bpmn:outgoing>f_after</bpmn:outgoing><bpmn:script>{code}</bpmn:script></bpmn:scriptTask>'
          '<bpmn:sequenceFlow id="f_after" sourceRef="tally" targetRef="end_done" />')


def between_follow_up_and_end(element: str) -> str:
    """The fixture with ``element`` inserted on the flow from follow_up to the end."""
    text = SIMPLE.replace('<bpmn:sequenceFlow id="f_end" sourceRef="follow_up" targetRef="end_done" />',
                          f'<bpmn:sequenceFlow id="f_end" sourceRef="follow_up" targetRef="{element.split(chr(34))[1]}" />'
                          + element)
    return text.replace('<bpmn:endEvent id="end_done" name="Done"><bpmn:incoming>f_end</bpmn:incoming>',
                        '<bpmn:endEvent id="end_done" name="Done"><bpmn:incoming>f_after</bpmn:incoming>')


CASES = {
    "xsd": (SIMPLE.replace('<bpmn:userTask id="approve"', '<bpmn:userTask id="approve" bogusAttribute="1"'),
            "approve", "bogusAttribute"),
    "unparseable process (task with two outgoing flows)": (
        SIMPLE.replace('<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>',
                       '<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>fx</bpmn:outgoing>')
        .replace('<bpmn:sequenceFlow id="f2"',
                 '<bpmn:sequenceFlow id="fx" sourceRef="first_review" targetRef="end_rejected" /><bpmn:sequenceFlow id="f2"'),
        "first_review", "outgoing flows"),
    "flow to nowhere": (SIMPLE.replace('targetRef="end_done"', 'targetRef="nowhere"'), "f_end", "nowhere"),
    "missing call target": (between_follow_up_and_end(CALL), "call_missing", "not_uploaded"),
    "unsafe condition": (SIMPLE.replace('decision == "approve"', "__import__('os').system('true')"),
                         "f_yes", "refused"),
    "unsafe script": (between_follow_up_and_end(SCRIPT.format(code="x = ().__class__.__bases__")),
                      "tally", "refused"),
    "bad literal timer": (SIMPLE.replace("<bpmn:timeDuration>wait_period</bpmn:timeDuration>",
                                         '<bpmn:timeDuration>"P3X"</bpmn:timeDuration>'), "timed_out", "P3X"),
    "lane not a role": (SIMPLE.replace('name="Line Manager"', 'name="Somebody"'), "approve", "lane"),
    "missing form file": (SIMPLE.replace("fixture_review.schema.json", "missing.schema.json"),
                          "first_review", "missing.schema.json"),
    "invalid form file": (SIMPLE.replace("fixture_review.schema.json", "broken.schema.json"),
                          "first_review", "not a valid JSON Schema"),
    "unknown message": (SIMPLE.replace('name="nudge"', 'name="poke"'), "nudged", "poke"),
}


@pytest.fixture
def broken_form(forms_dir):
    (forms_dir / "broken.schema.json").write_text(json.dumps({"type": "object", "properties": {"x": {"type": 5}}}))


@pytest.mark.parametrize("kind", CASES)
def test_each_kind_of_problem_names_its_element(ctx, broken_form, kind):
    text, element, words = CASES[kind]
    problems = modeller.check_diagram(ctx, {"simple.bpmn": text.encode()})
    named = [p for p in problems if p.element_id == element]
    assert named, f"{kind}: no problem names {element}: {problems}"
    assert any(words.lower() in p.message.lower() for p in named), named
    assert all("<Element" not in p.message and "0x" not in p.message for p in problems)


def test_a_clean_diagram_has_no_problems(ctx):
    assert modeller.check_diagram(ctx, {"simple.bpmn": SIMPLE.replace("First review", "First look").encode()}) == []


def test_the_validate_endpoint_answers_problems_pinned_to_elements(pages):
    broken = SIMPLE.replace('decision == "approve"', "().__class__")
    answer = pages.json("/modeller/validate", {"filename": "simple.bpmn", "xml": broken})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is False
    [problem] = body["problems"]
    assert problem["element_id"] == "f_yes" and problem["file"] == "simple.bpmn" and problem["line"]
    clean = pages.json("/modeller/validate", {"filename": "simple.bpmn", "xml": SIMPLE}).get_json()
    assert clean == {"ok": True, "problems": []}


def test_nothing_is_deployed_while_a_problem_remains(pages, app):
    broken = SIMPLE.replace('decision == "approve"', "().__class__")
    answer = pages.json("/modeller/deploy", {"filename": "simple.bpmn", "xml": broken, "note": "try",
                                                "confirm": True})
    assert answer.status_code == 422
    assert answer.get_json()["problems"][0]["element_id"] == "f_yes"
    assert ProcessVersion.query.count() == 1


def test_the_editor_endpoints_need_the_csrf_token_and_the_role(app, pages, as_user):
    no_token = pages.client.post("/modeller/validate", json={"filename": "a.bpmn", "xml": SIMPLE})
    assert no_token.status_code == 400
    officer = app.test_client()
    staff = PageClient(officer, "case_officer")
    assert staff.get("/modeller/processes").status_code == 403
    refused = staff.json("/modeller/deploy", {"filename": "a.bpmn", "xml": SIMPLE})
    assert refused.status_code == 403 and "process owner" in refused.get_json()["message"]


def test_a_bad_request_to_the_editor_is_a_json_422(pages):
    answer = pages.json("/modeller/validate", {"filename": "a.bpmn"})
    assert answer.status_code == 422 and answer.get_json()["ok"] is False
