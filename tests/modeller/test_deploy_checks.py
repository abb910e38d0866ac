"""Deploy-time checks that match what the engine will need (issue #22), one test per check.

Each broken diagram here deployed before and failed later, in front of staff:
a gateway reading a field no form set, a choice no flow took, a task nobody
could reach. Now the check names the element before anything is stored.
"""
from __future__ import annotations

import pytest

from modeller_support import SIMPLE
from service.domain.definitions import modeller

START_TO_REVIEW = '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first_review" />'
END_FLOW = '<bpmn:sequenceFlow id="f_end" sourceRef="follow_up" targetRef="end_done" />'
END_EVENT = '<bpmn:endEvent id="end_done" name="Done"><bpmn:incoming>f_end</bpmn:incoming>'


def before_the_end(*elements: str, first: str) -> str:
    """The fixture with ``elements`` (ending in a flow ``f_after`` to the end) between follow_up and the end."""
    text = SIMPLE.replace(END_FLOW, f'<bpmn:sequenceFlow id="f_end" sourceRef="follow_up" targetRef="{first}" />'
                          + "".join(elements))
    return text.replace(END_EVENT, '<bpmn:endEvent id="end_done" name="Done"><bpmn:incoming>f_after</bpmn:incoming>')


def script(element_id: str, code: str, incoming: str, outgoing: str) -> str:
    return (f'<bpmn:scriptTask id="{element_id}" name="{element_id}"><bpmn:incoming>{incoming}</bpmn:incoming>'
            f'<bpmn:outgoing>{outgoing}</bpmn:outgoing><bpmn:script>{code}</bpmn:script></bpmn:scriptTask>')


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    inner = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{inner}</bpmn:sequenceFlow>'


def problems_at(ctx, text: str, element: str, files: dict[str, str] | None = None) -> list[str]:
    found = modeller.check_diagram(ctx, {"simple.bpmn": text.encode(),
                                         **{k: v.encode() for k, v in (files or {}).items()}})
    return [p.message for p in found if p.element_id == element]


def test_the_fixture_passes_every_check(ctx):
    assert modeller.check_diagram(ctx, {"simple.bpmn": SIMPLE.encode()}) == []


# -- every user task has a form that exists ---------------------------------------
def test_a_user_task_without_a_form_is_refused_by_name(ctx):
    text = SIMPLE.replace('<spiffworkflow:property name="formJsonSchemaFilename" value="fixture_approve.schema.json" />',
                          "")
    [message] = problems_at(ctx, text, "approve")
    assert "has no form" in message and "'Approve'" in message


def test_a_user_task_naming_a_form_that_does_not_exist_is_refused(ctx):
    text = SIMPLE.replace("fixture_follow_up.schema.json", "gone.schema.json")
    assert any("gone.schema.json" in m for m in problems_at(ctx, text, "follow_up"))


# -- every name code reads is set on every path before it -------------------------
def test_a_condition_reading_a_field_no_form_sets_names_the_gateway_and_the_field(ctx):
    text = SIMPLE.replace('decision == "approve"', 'verdict == "approve"').replace(
        'decision != "approve"', 'verdict != "approve"')
    [message] = problems_at(ctx, text, "decide")
    assert "'verdict'" in message and "f_yes" in message and "f_no" in message


def test_a_timer_reading_an_unset_duration_is_refused(ctx):
    text = SIMPLE.replace("<bpmn:timeDuration>wait_period</bpmn:timeDuration>",
                          "<bpmn:timeDuration>grace_period</bpmn:timeDuration>")
    [message] = problems_at(ctx, text, "timed_out")
    assert "the timer reads 'grace_period'" in message


def test_a_script_reading_what_an_earlier_script_set_passes_and_one_reading_unset_data_does_not(ctx):
    chain = [script("first", "tally = 1", "f_end", "f_mid"), flow("f_mid", "first", "second"),
             script("second", "total = tally + len(notes)", "f_mid", "f_after"), flow("f_after", "second", "end_done")]
    assert problems_at(ctx, before_the_end(*chain, first="first"), "second") == []
    unset = [script("second", "total = tally + 1", "f_end", "f_after"), flow("f_after", "second", "end_done")]
    [message] = problems_at(ctx, before_the_end(*unset, first="second"), "second")
    assert "the script reads 'tally'" in message


def test_a_name_set_on_only_one_of_two_paths_is_refused(ctx):
    """Must-analysis: the nudge path sets ``nudged_at``, the timer path does not, so follow_up's reader fails."""
    text = SIMPLE.replace('<bpmn:sequenceFlow id="f_n" sourceRef="nudged" targetRef="follow_up" />',
                          flow("f_n", "nudged", "stamp") + script("stamp", "nudged_at = 1", "f_n", "f_s")
                          + flow("f_s", "stamp", "follow_up"))
    text = text.replace("<bpmn:incoming>f_n</bpmn:incoming><bpmn:incoming>f_t</bpmn:incoming>",
                        "<bpmn:incoming>f_s</bpmn:incoming><bpmn:incoming>f_t</bpmn:incoming>")
    reader = [script("reader", "seen = nudged_at", "f_end", "f_after"), flow("f_after", "reader", "end_done")]
    [message] = problems_at(ctx, before_the_end(*reader, first="reader"), "reader")
    assert "'nudged_at'" in message and "every path" in message


def test_the_message_payload_the_sandbox_helpers_and_case_wide_data_count_as_set(ctx):
    code = 'x = (nudge if is_serious(behaviour_types or []) else monitoring_period, len(sorted([1])))'
    reader = [script("reader", code, "f_end", "f_after"), flow("f_after", "reader", "end_done")]
    # behaviour_types is a start-form field; nudge is only set on the message path
    [message] = problems_at(ctx, before_the_end(*reader, first="reader"), "reader")
    assert "'nudge'" in message and "is_serious" not in message and "monitoring_period" not in message
    text = before_the_end(*reader, first="reader").replace("nudge if", "reason if")
    assert "'reason'" in problems_at(ctx, text, "reader")[0]


CALLED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="called_defs"
  targetNamespace="http://boundary.example/fixture">
  <bpmn:process id="called_check" name="Called check" isExecutable="true">
    <bpmn:startEvent id="c_start"><bpmn:outgoing>c1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="c_set" name="Set"><bpmn:incoming>c1</bpmn:incoming><bpmn:outgoing>c2</bpmn:outgoing>
      <bpmn:script>verdict = "fine" if notes else "empty"</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="c_end"><bpmn:incoming>c2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="c1" sourceRef="c_start" targetRef="c_set" />
    <bpmn:sequenceFlow id="c2" sourceRef="c_set" targetRef="c_end" />
  </bpmn:process>
</bpmn:definitions>"""


def test_a_call_activity_passes_on_what_the_called_process_sets_and_the_caller_gives_it(ctx):
    call = ('<bpmn:callActivity id="call" name="Check" calledElement="called_check"><bpmn:incoming>f_end'
            '</bpmn:incoming><bpmn:outgoing>f_c</bpmn:outgoing></bpmn:callActivity>')
    reader = [call, flow("f_c", "call", "reader"), script("reader", "seen = verdict", "f_c", "f_after"),
              flow("f_after", "reader", "end_done")]
    text = before_the_end(*reader, first="call")
    assert problems_at(ctx, text, "reader", {"called.bpmn": CALLED}) == []
    assert problems_at(ctx, text, "c_set", {"called.bpmn": CALLED}) == []  # notes comes from the caller
    without_call = before_the_end(*reader[2:], first="reader")
    assert "'verdict'" in problems_at(ctx, without_call, "reader")[0]
    caller_lacks = text.replace("seen = verdict", "seen = 1").replace("fixture_review.schema.json",
                                                                       "fixture_follow_up.schema.json")
    assert "'notes'" in problems_at(ctx, caller_lacks, "c_set", {"called.bpmn": CALLED})[0]


# -- exclusive gateways: a default flow, or a condition per choice ----------------
def test_a_gateway_missing_a_choice_of_the_form_is_refused_and_a_default_flow_settles_it(ctx):
    text = SIMPLE.replace('decision != "approve"', 'decision == "postpone"')
    [message] = problems_at(ctx, text, "decide")
    assert "'reject'" in message and "fixture_approve.schema.json" in message and "default" in message
    with_default = text.replace('<bpmn:exclusiveGateway id="decide" name="Approved?"',
                                '<bpmn:exclusiveGateway id="decide" name="Approved?" default="f_no"')
    with_default = with_default.replace('<bpmn:conditionExpression>decision == "postpone"</bpmn:conditionExpression>',
                                        "")
    assert problems_at(ctx, with_default, "decide") == []
    covered = SIMPLE.replace('decision != "approve"', 'decision in ("reject",)')
    assert problems_at(ctx, covered, "decide") == []


def test_a_yes_no_gateway_needs_both_answers(ctx):
    text = SIMPLE.replace('decision == "approve"', "report_to_police").replace(
        'decision != "approve"', "report_to_police and decision == 'reject'")
    assert problems_at(ctx, text, "decide") == []  # two fields: not a single-field test, left to the engine
    one_sided = SIMPLE.replace('decision == "approve"', "report_to_police").replace(
        'decision != "approve"', "report_to_police == True")
    [message] = problems_at(ctx, one_sided, "decide")
    assert "report_to_police = false" in message


# -- reachability -----------------------------------------------------------------
def test_a_task_no_flow_leads_to_is_refused(ctx):
    loose = ('<bpmn:scriptTask id="loose" name="Forgotten"><bpmn:outgoing>f_loose</bpmn:outgoing>'
             '<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>' + flow("f_loose", "loose", "end_done"))
    text = SIMPLE.replace(END_FLOW, END_FLOW + loose)
    [message] = problems_at(ctx, text, "loose")
    assert "cannot be reached from a start event" in message


def test_a_gateway_with_no_way_out_is_refused(ctx):
    """The issue's "dangling gateway": its outgoing flows deleted, cases would stop in it."""
    text = SIMPLE.replace('<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing>'
                          '<bpmn:outgoing>f_no</bpmn:outgoing>', "<bpmn:incoming>f3</bpmn:incoming>")
    for dropped in ("f_yes", "f_no"):
        start = text.index(f'<bpmn:sequenceFlow id="{dropped}"')
        text = text[:start] + text[text.index("</bpmn:sequenceFlow>", start) + len("</bpmn:sequenceFlow>"):]
    text = text.replace("<bpmn:incoming>f_yes</bpmn:incoming>", "").replace("<bpmn:incoming>f_no</bpmn:incoming>", "")
    found = modeller.check_diagram(ctx, {"simple.bpmn": text.encode()})
    assert any(p.element_id == "decide" and "cannot reach an end event" in p.message for p in found), found


# -- flows join two elements ------------------------------------------------------
@pytest.mark.parametrize("end", ["sourceRef", "targetRef"])
def test_a_flow_with_a_missing_end_is_refused_by_its_id(ctx, end):
    dangling = f'<bpmn:sequenceFlow id="f_dangling" {end}="ghost" ' + (
        'targetRef="end_done" />' if end == "sourceRef" else 'sourceRef="follow_up" />')
    [message] = problems_at(ctx, SIMPLE.replace(END_FLOW, END_FLOW + dangling), "f_dangling")
    assert "'ghost', which is not in the diagram" in message


# -- call activities, letters, due periods ----------------------------------------
def test_a_call_activity_naming_no_uploaded_or_deployed_process_is_refused(ctx):
    call = ('<bpmn:callActivity id="call" name="Check" calledElement="nowhere_process"><bpmn:incoming>f_end'
            '</bpmn:incoming><bpmn:outgoing>f_after</bpmn:outgoing></bpmn:callActivity>')
    [message] = problems_at(ctx, before_the_end(call, flow("f_after", "call", "end_done"), first="call"), "call")
    assert "nowhere_process" in message


def test_a_letter_without_a_template_is_refused(ctx):
    text = SIMPLE.replace('<spiffworkflow:property name="dueIn" value="P10D" />',
                          '<spiffworkflow:property name="dueIn" value="P10D" />'
                          '<spiffworkflow:property name="letter" value="no_such_letter" />')
    [message] = problems_at(ctx, text, "follow_up")
    assert "no_such_letter" in message and "warning_letter" in message


@pytest.mark.parametrize("due", ["10 days", "P10", "PT", "P0D"])
def test_a_due_period_that_does_not_parse_is_refused(ctx, due):
    text = SIMPLE.replace('value="P10D"', f'value="{due}"')
    [message] = problems_at(ctx, text, "follow_up")
    assert f"'{due}' is not an ISO 8601 duration longer than nothing" in message


def test_a_call_activity_may_name_a_process_deployed_in_another_definition(ctx, owner):
    """The version carries the called file with it, so its cases never depend on another definition."""
    from service.domain.core.transaction import transaction
    from service.extensions import db

    with transaction(db.session):
        standalone = CALLED.replace('"fine" if notes else "empty"', '"fine"')  # deployed alone, it is a main process
        modeller.deploy_diagram(ctx, owner, {"called.bpmn": standalone.encode()}, "a shared check")
    call = ('<bpmn:callActivity id="call" name="Check" calledElement="called_check"><bpmn:incoming>f_end'
            '</bpmn:incoming><bpmn:outgoing>f_after</bpmn:outgoing></bpmn:callActivity>')
    text = before_the_end(call, flow("f_after", "call", "end_done"), first="call")
    assert modeller.check_diagram(ctx, {"simple.bpmn": text.encode()}) == []
    with transaction(db.session):
        version = modeller.deploy_diagram(ctx, owner, {"simple.bpmn": text.encode()}, "calls the shared check")
    assert version.process_id == "fixture_process" and sorted(version.files) == ["called.bpmn", "simple.bpmn"]
