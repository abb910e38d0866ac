"""Uploaded BPMN is validated in full, and every problem names its element and line."""
from __future__ import annotations

import pytest

from helpers import FIXTURES
from service.engine import BundleInvalid, load_bundle

SIMPLE = (FIXTURES / "workflows" / "simple.bpmn").read_text()


def problems_for(text: str):
    with pytest.raises(BundleInvalid) as caught:
        load_bundle({"broken.bpmn": text.encode()})
    return caught.value.problems


def test_the_fixture_loads_with_its_tasks_lanes_and_properties():
    bundle = load_bundle({"simple.bpmn": SIMPLE.encode()})
    tasks = {t.element_id: t for t in bundle.human_tasks()}
    assert set(tasks) == {"first_review", "approve", "follow_up"}
    assert tasks["approve"].lane == "Line Manager"
    assert tasks["first_review"].properties["formJsonSchemaFilename"] == "fixture_review.schema.json"
    assert tasks["first_review"].documentation == "Read the record. (TEST 1.1)"
    assert bundle.start_event.element_id == "start"
    assert bundle.message_names == {"nudge"}


def test_malformed_xml_names_the_line():
    [problem] = problems_for("<bpmn:definitions>\n<oops")
    assert "not well-formed" in problem.message and problem.line


def test_xsd_violation_is_reported():
    text = SIMPLE.replace('<bpmn:userTask id="approve"', '<bpmn:userTask id="approve" bogusAttribute="1"')
    [problem] = problems_for(text)
    assert "bogusAttribute" in problem.message and problem.line


def test_unsafe_condition_is_refused_with_its_element_and_line():
    text = SIMPLE.replace('decision == "approve"', "__import__('os').system('true')")
    [problem] = problems_for(text)
    assert problem.element_id == "f_yes"
    assert "refused" in problem.message and "__import__" in problem.message
    assert problem.line == 1 + next(i for i, line in enumerate(text.splitlines()) if "__import__" in line)


def test_unsafe_script_is_refused():
    text = SIMPLE.replace(
        '<spiffworkflow:property name="dueIn" value="P10D" />\n      </spiffworkflow:properties>',
        '<spiffworkflow:property name="dueIn" value="P10D" />\n      </spiffworkflow:properties>'
        '<spiffworkflow:preScript>import os</spiffworkflow:preScript>')
    [problem] = problems_for(text)
    assert problem.element_id == "follow_up" and "pre-script" in problem.message


def test_code_on_an_unreachable_flow_is_checked_too():
    text = SIMPLE.replace(
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first_review" />',
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first_review" />'
        '<bpmn:sequenceFlow id="f_orphan" sourceRef="end_done" targetRef="follow_up">'
        '<bpmn:conditionExpression>open("/etc/passwd")</bpmn:conditionExpression></bpmn:sequenceFlow>')
    problems = problems_for(text)
    assert any(p.element_id == "f_orphan" for p in problems)


def test_bad_literal_timer_is_refused_at_upload():
    text = SIMPLE.replace("<bpmn:timeDuration>wait_period</bpmn:timeDuration>",
                          '<bpmn:timeDuration>"P3X"</bpmn:timeDuration>')
    [problem] = problems_for(text)
    assert problem.element_id == "timed_out" and "P3X" in problem.message


def test_missing_call_activity_target_names_the_call_activity():
    text = SIMPLE.replace(
        '<bpmn:sequenceFlow id="f_n" sourceRef="nudged" targetRef="follow_up" />',
        '<bpmn:sequenceFlow id="f_n" sourceRef="nudged" targetRef="call_missing" />'
        '<bpmn:callActivity id="call_missing" calledElement="not_uploaded"><bpmn:incoming>f_n</bpmn:incoming>'
        '<bpmn:outgoing>f_c</bpmn:outgoing></bpmn:callActivity>'
        '<bpmn:sequenceFlow id="f_c" sourceRef="call_missing" targetRef="follow_up" />')
    problems = problems_for(text)
    assert any(p.element_id == "call_missing" and "not_uploaded" in p.message for p in problems)


def test_no_executable_process_is_explained():
    text = SIMPLE.replace('isExecutable="true"', 'isExecutable="false"')
    [problem] = problems_for(text)
    assert "executable" in problem.message
