"""The flow graph of a set of BPMN files, read from the XML, for the deploy checks.

The checks (``deploy_checks``, ``data_flow``) need what the engine will walk:
each process and sub-process as a scope of nodes joined by sequence flows,
boundary events on their activities, event sub-processes beside their parent,
and the diagram code on each element. SpiffWorkflow's specs hide some of this
(an event sub-process's wiring, the flow a condition sits on), so it is read
here from the same XML the engine parses.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ...engine.bpmn_xml import BPMN, SPIFF, parse_bpmn

_ACTIVITIES = {"task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
               "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess"}
_EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
_GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"}
FLOW_NODES = _ACTIVITIES | _EVENTS | _GATEWAYS
_SCOPES = {"subProcess", "transaction", "adHocSubProcess"}


@dataclass(eq=False)
class Flow:
    id: str
    source: str | None
    target: str | None
    condition: str | None
    element: etree._Element


@dataclass(eq=False)
class Node:
    id: str
    kind: str  # the BPMN tag's local name: userTask, exclusiveGateway, ...
    element: etree._Element
    file: str
    incoming: list[Flow] = field(default_factory=list)
    outgoing: list[Flow] = field(default_factory=list)
    boundary: list[Node] = field(default_factory=list)  # events attached to this activity
    attached_to: str | None = None
    inner: Scope | None = None  # an embedded sub-process's own scope

    @property
    def properties(self) -> dict[str, str]:
        return properties(self.element)

    @property
    def label(self) -> str:
        return describe(self.element)


@dataclass(eq=False)
class Scope:
    """A process or sub-process: its nodes, the flows between them, its event sub-processes."""

    id: str
    process_id: str
    file: str
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    event_subprocesses: list[Scope] = field(default_factory=list)
    triggered: bool = False  # an event sub-process

    @property
    def starts(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == "startEvent"]

    def walk(self) -> Iterator[Scope]:
        """This scope and every scope inside it."""
        yield self
        for node in self.nodes.values():
            if node.inner is not None:
                yield from node.inner.walk()
        for scope in self.event_subprocesses:
            yield from scope.walk()


@dataclass
class DiagramGraph:
    processes: dict[str, Scope]
    messages: dict[str, etree._Element]  # message id -> <message>
    trees: dict[str, etree._Element]

    def scopes(self) -> Iterator[Scope]:
        for process in self.processes.values():
            yield from process.walk()

    def ids(self) -> set[str]:
        return {e.get("id") for tree in self.trees.values() for e in tree.iter()
                if isinstance(e.tag, str) and e.get("id")}


def read(files: dict[str, bytes]) -> DiagramGraph:
    """The graph of every well-formed file (the loader reports the others)."""
    trees: dict[str, etree._Element] = {}
    for name, content in sorted(files.items()):
        try:
            trees[name] = parse_bpmn(content)
        except etree.XMLSyntaxError:
            continue
    processes: dict[str, Scope] = {}
    messages: dict[str, etree._Element] = {}
    for name, tree in trees.items():
        for message in tree.iter(f"{BPMN}message"):
            messages[message.get("id") or ""] = message
        for process in tree.iter(f"{BPMN}process"):
            if process.get("id"):
                processes[process.get("id")] = _scope(process, process.get("id"), name)
    return DiagramGraph(processes, messages, trees)


def _scope(element: etree._Element, process_id: str, file: str) -> Scope:
    scope = Scope(element.get("id"), process_id, file, triggered=element.get("triggeredByEvent") == "true")
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith(BPMN):
            continue
        kind = etree.QName(child).localname
        if kind == "sequenceFlow":
            condition = child.find(f"{BPMN}conditionExpression")
            text = (condition.text or "").strip() if condition is not None else ""
            scope.flows.append(Flow(child.get("id") or "", child.get("sourceRef"), child.get("targetRef"),
                                    text or None, child))
        elif kind in _SCOPES and child.get("triggeredByEvent") == "true":
            scope.event_subprocesses.append(_scope(child, process_id, file))
        elif kind in FLOW_NODES and child.get("id"):
            node = Node(child.get("id"), kind, child, file, attached_to=child.get("attachedToRef"))
            if kind in _SCOPES:
                node.inner = _scope(child, process_id, file)
            scope.nodes[node.id] = node
    for flow in scope.flows:
        if flow.source in scope.nodes and flow.target in scope.nodes:
            scope.nodes[flow.source].outgoing.append(flow)
            scope.nodes[flow.target].incoming.append(flow)
    for node in scope.nodes.values():
        if node.attached_to in scope.nodes:
            scope.nodes[node.attached_to].boundary.append(node)
    return scope


def properties(element: etree._Element) -> dict[str, str]:
    """The element's own ``spiffworkflow:property`` values (not those of elements inside it)."""
    found: dict[str, str] = {}
    extensions = element.find(f"{BPMN}extensionElements")
    if extensions is not None:
        for group in extensions.findall(f"{SPIFF}properties"):
            for prop in group.findall(f"{SPIFF}property"):
                if prop.get("name"):
                    found[prop.get("name")] = prop.get("value", "")
    return found


def own_text(element: etree._Element, tag: str) -> str | None:
    """The text of ``tag`` directly on ``element`` or in its extension elements."""
    for found in (element.find(tag), element.find(f"{BPMN}extensionElements/{tag}")):
        if found is not None and (found.text or "").strip():
            text: str = found.text  # lxml is untyped
            return text
    return None


def describe(element: etree._Element) -> str:
    """``User task 'Approve' (approve)``: kind, name and id."""
    kind = re.sub(r"(?<!^)([A-Z])", r" \1", etree.QName(element).localname).lower()
    kind = kind[:1].upper() + kind[1:]
    name = " ".join((element.get("name") or "").split())
    return f"{kind} '{name}' ({element.get('id')})" if name else f"{kind} {element.get('id')}"


def event_definitions(node: Node) -> list[etree._Element]:
    return [child for child in node.element if isinstance(child.tag, str) and child.tag.endswith("EventDefinition")]
