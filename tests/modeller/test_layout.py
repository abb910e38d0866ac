"""A diagram without a drawing gets one the editor can show; one with a drawing is left alone."""
from __future__ import annotations

from lxml import etree

from modeller_support import SIMPLE
from service.domain.definitions.diagram_layout import NS, ensure_diagram
from service.engine import load_bundle

RICH = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:collaboration id="collab">
    <bpmn:participant id="pool" processRef="p" />
    <bpmn:participant id="outside" name="The person" />
    <bpmn:messageFlow id="mf" sourceRef="outside" targetRef="wait_reply" />
  </bpmn:collaboration>
  <bpmn:message id="m" name="reply" />
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="work" name="Work"><bpmn:incoming>a</bpmn:incoming><bpmn:incoming>again</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="late" attachedToRef="work"><bpmn:outgoing>c</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:subProcess id="sub" name="Inner"><bpmn:incoming>b</bpmn:incoming><bpmn:outgoing>d</bpmn:outgoing>
      <bpmn:startEvent id="ss"><bpmn:outgoing>e</bpmn:outgoing></bpmn:startEvent>
      <bpmn:endEvent id="se"><bpmn:incoming>e</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="e" sourceRef="ss" targetRef="se" />
    </bpmn:subProcess>
    <bpmn:intermediateCatchEvent id="wait_reply"><bpmn:incoming>d</bpmn:incoming><bpmn:outgoing>f</bpmn:outgoing>
      <bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
    <bpmn:exclusiveGateway id="gw" default="done"><bpmn:incoming>f</bpmn:incoming><bpmn:outgoing>done</bpmn:outgoing><bpmn:outgoing>again</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>done</bpmn:incoming><bpmn:incoming>c</bpmn:incoming></bpmn:endEvent>
    <bpmn:textAnnotation id="note"><bpmn:text>Remember</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="assoc" sourceRef="work" targetRef="note" />
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="work" />
    <bpmn:sequenceFlow id="b" sourceRef="work" targetRef="sub" />
    <bpmn:sequenceFlow id="c" sourceRef="late" targetRef="end" />
    <bpmn:sequenceFlow id="d" sourceRef="sub" targetRef="wait_reply" />
    <bpmn:sequenceFlow id="f" sourceRef="wait_reply" targetRef="gw" />
    <bpmn:sequenceFlow id="done" sourceRef="gw" targetRef="end" />
    <bpmn:sequenceFlow id="again" sourceRef="gw" targetRef="work"><bpmn:conditionExpression>retry</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>"""


def drawn(content: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(content)
    return {e.get("bpmnElement"): e for e in root.iter(f"{{{NS['bpmndi']}}}BPMNShape", f"{{{NS['bpmndi']}}}BPMNEdge")}


def planes(content: bytes) -> list[str]:
    return [p.get("bpmnElement") for p in etree.fromstring(content).iter(f"{{{NS['bpmndi']}}}BPMNPlane")]


def test_every_element_and_flow_of_the_fixture_is_drawn_and_it_still_loads():
    content = ensure_diagram(SIMPLE.encode())
    shapes = drawn(content)
    for element in ("fixture_participant", "lane_officer", "lane_manager", "start", "first_review", "approve",
                    "decide", "wait", "nudged", "timed_out", "follow_up", "end_done", "end_rejected",
                    "f1", "f2", "f3", "f_yes", "f_no", "f_w1", "f_w2", "f_n", "f_t", "f_end"):
        assert element in shapes, element
    assert planes(content) == ["fixture_collab"]
    assert b"xmlns:bpmndi=" in content and b"ns0:" not in content
    approve, lane = shapes["approve"].find(f"{{{NS['dc']}}}Bounds"), shapes["lane_manager"].find(f"{{{NS['dc']}}}Bounds")
    assert float(lane.get("y")) <= float(approve.get("y")) < float(lane.get("y")) + float(lane.get("height"))
    load_bundle({"simple.bpmn": content})


def test_pools_boundary_events_sub_processes_loops_and_annotations_are_drawn():
    content = ensure_diagram(RICH.encode())
    shapes = drawn(content)
    for element in ("pool", "outside", "mf", "s", "work", "late", "sub", "wait_reply", "gw", "end", "note",
                    "assoc", "a", "b", "c", "d", "f", "done", "again", "ss", "se", "e"):
        assert element in shapes, element
    assert planes(content) == ["collab", "sub"]  # the sub-process opens on its own plane
    assert shapes["sub"].get("isExpanded") == "false"
    work = shapes["work"].find(f"{{{NS['dc']}}}Bounds")
    late = shapes["late"].find(f"{{{NS['dc']}}}Bounds")
    assert float(late.get("y")) + 18 == float(work.get("y")) + float(work.get("height"))  # on the lower edge


def test_a_drawn_diagram_is_returned_unchanged_and_broken_xml_too():
    once = ensure_diagram(SIMPLE.encode())
    assert ensure_diagram(once) == once
    assert ensure_diagram(b"<not bpmn") == b"<not bpmn"
