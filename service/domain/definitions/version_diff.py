"""What a deploy changes against the current version, element by element, in words.

Deploying is deliberate (issue #22): before a process owner confirms, the
modeller shows which elements a deploy adds, removes and changes, and for a
changed one what changed: its name, form, role (lane), stage, letter, due
period, conditions, scripts, timers, called process, flows. The versions page
shows the same list for each version against the one before it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ...engine.bpmn_xml import BPMN, SPIFF
from .diagram_graph import FLOW_NODES, describe, properties, read

_CODE = {f"{BPMN}conditionExpression": "condition", f"{BPMN}script": "script", f"{BPMN}timeDuration": "timer",
         f"{BPMN}timeDate": "timer", f"{BPMN}timeCycle": "timer", f"{BPMN}loopCondition": "loop condition",
         f"{SPIFF}preScript": "pre-script", f"{SPIFF}postScript": "post-script"}
_PROPERTY_WORDS = {"formJsonSchemaFilename": "form", "dueIn": "due period", "letter": "letter", "stage": "stage",
                   "separationOf": "separate from", "schedulesReview": "schedules review",
                   "recordsDisclosure": "records a disclosure", "acceptsMessages": "accepts messages"}


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    label: str
    details: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"element_id": self.element_id, "label": self.label, "details": list(self.details)}


@dataclass
class VersionDiff:
    added: list[ElementChange] = field(default_factory=list)
    removed: list[ElementChange] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def summary(self) -> str:
        if self.empty:
            return "No changes to the diagram's elements."
        parts = [f"{len(items)} {word}" for items, word in
                 ((self.added, "added"), (self.removed, "removed"), (self.changed, "changed")) if items]
        return f"Elements: {', '.join(parts)}."

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "added": [c.as_dict() for c in self.added],
                "removed": [c.as_dict() for c in self.removed], "changed": [c.as_dict() for c in self.changed]}


def diff_files(old: dict[str, bytes] | None, new: dict[str, bytes]) -> VersionDiff:
    """Elements of ``new`` against ``old`` (everything added when there is no old version)."""
    before, after = _elements(old or {}), _elements(new)
    diff = VersionDiff()
    for element_id, (label, facts) in after.items():
        if element_id not in before:
            diff.added.append(ElementChange(element_id, label))
            continue
        details = _differences(before[element_id][1], facts)
        if details:
            diff.changed.append(ElementChange(element_id, label, tuple(details)))
    diff.removed = [ElementChange(i, label) for i, (label, _) in before.items() if i not in after]
    return diff


def _elements(files: dict[str, bytes]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each flow node and sequence flow by id: its label and the facts a change is told by."""
    graph = read(files)
    lanes = _lanes(graph.trees.values())
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for scope in graph.scopes():
        for node in scope.nodes.values():
            found[node.id] = (node.label, _facts(node.element, lanes.get(node.id)))
        for flow in scope.flows:
            facts = _facts(flow.element, None)
            facts.update({"from": flow.source or "", "to": flow.target or ""})
            found[flow.id] = (describe(flow.element), facts)
        for sub in scope.event_subprocesses:
            found[sub.id] = (_label_of(graph.trees.values(), sub.id), {})
    return found


def _label_of(trees: Iterable[etree._Element], element_id: str) -> str:
    for tree in trees:
        for element in tree.iter():
            if isinstance(element.tag, str) and element.get("id") == element_id:
                return describe(element)
    return element_id


def _lanes(trees: Iterable[etree._Element]) -> dict[str, str]:
    found = {}
    for tree in trees:
        for lane in tree.iter(f"{BPMN}lane"):
            for ref in lane.findall(f"{BPMN}flowNodeRef"):
                found[(ref.text or "").strip()] = lane.get("name") or lane.get("id") or ""
    return found


def _facts(element: etree._Element, lane: str | None) -> dict[str, str]:
    facts = {"name": " ".join((element.get("name") or "").split())}
    if lane is not None:
        facts["role (lane)"] = lane
    for key, value in properties(element).items():
        facts[_PROPERTY_WORDS.get(key, key)] = value
    for attribute in ("calledElement", "default"):
        if element.get(attribute):
            facts["called process" if attribute == "calledElement" else "default flow"] = element.get(attribute)
    documentation = element.find(f"{BPMN}documentation")
    if documentation is not None:
        facts["documentation"] = " ".join((documentation.text or "").split())
    for child in element.iter():
        if child is not element and isinstance(child.tag, str) and child.tag in _CODE and _own(child, element):
            facts[_CODE[child.tag]] = (child.text or "").strip()
    return facts


def _own(child: etree._Element, element: etree._Element) -> bool:
    """Code that belongs to ``element`` itself, not to an element nested inside it (a sub-process's tasks)."""
    node = child.getparent()
    while node is not None and node is not element:
        if etree.QName(node).localname in FLOW_NODES or etree.QName(node).localname == "sequenceFlow":
            return False
        node = node.getparent()
    return True


def _differences(old: dict[str, str], new: dict[str, str]) -> list[str]:
    details = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, ""), new.get(key, "")
        if before == after:
            continue
        if key == "documentation":
            details.append("documentation changed")
        else:
            details.append(f"{key}: {_shown(before)} → {_shown(after)}")
    return details


def _shown(value: str) -> str:
    if not value:
        return "(none)"
    return f"'{value}'" if len(value) <= 80 else f"'{value[:77]}...'"
