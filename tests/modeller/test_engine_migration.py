"""Moving a case that is inside a called process (call activity): the called process's
own changes follow, and a case inside a called process the new version dropped is refused."""
from __future__ import annotations

from service.engine import CaseRun, check_migration, load_bundle, migrate_case

MAIN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="main_defs" targetNamespace="x">
  <bpmn:process id="main" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="call" name="Check" calledElement="{called}">
      <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="call"/><bpmn:sequenceFlow id="b" sourceRef="call" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"""
CALLED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="called_defs" targetNamespace="x">
  <bpmn:process id="{process}" isExecutable="true">
    <bpmn:startEvent id="cs"><bpmn:outgoing>c</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="{task}" name="{name}"><bpmn:incoming>c</bpmn:incoming><bpmn:outgoing>d</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="ce"><bpmn:incoming>d</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="c" sourceRef="cs" targetRef="{task}"/><bpmn:sequenceFlow id="d" sourceRef="{task}" targetRef="ce"/>
  </bpmn:process>
</bpmn:definitions>"""


def bundle(called="check", task="look", name="Look"):
    return load_bundle({"main.bpmn": MAIN.format(called=called).encode(),
                        "called.bpmn": CALLED.format(process=called, task=task, name=name).encode()}, "main")


def test_a_case_inside_a_called_process_follows_its_changes():
    old = bundle()
    run = CaseRun.start(old, {})
    state = run.dump()
    [before] = run.ready_tasks()
    new = bundle(name="Look closely")
    assert check_migration(old, state, new).movable
    [after] = migrate_case(old, state, new).ready_tasks()
    assert after.id == before.id and after.info.title == "Look closely"


def test_a_case_inside_a_dropped_called_process_is_refused():
    old = bundle()
    state = CaseRun.start(old, {}).dump()
    check = check_migration(old, state, bundle(called="other"))
    assert not check.movable and any("check" in reason for reason in check.reasons)
