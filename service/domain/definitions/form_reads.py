"""Which fields of a form the current diagrams read, so a form edit cannot break a process.

A gateway condition, script or timer that reads a field the form no longer has fails in
the engine the first time a case gets there (issue #22). Before a form is saved, every
current version's diagram is walked from each element that collects the form (a user
task or start event naming it, or a catch event of the message it is the payload form
of) along the sequence flows; an expression on the way that reads a removed field is a
reason to refuse. The walk stops where another element sets the same name again (a
user task whose form has it, or a script assigning it), so ``decision`` read after a
later task that asks again is not blamed on this form.

Plain XML and ``ast``: no engine, no case.
"""
from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from lxml import etree

from ...engine.bpmn_xml import BPMN, NAMESPACES, parse_bpmn
from ..core.forms import FormStore
from . import versions as definitions

if TYPE_CHECKING:
    from ..core.context import Context

Element: TypeAlias = etree._Element
Code: TypeAlias = set[str | tuple[str, str]]

NS = NAMESPACES
CODE = ("conditionExpression", "script", "timeDuration", "timeDate", "timeCycle", "loopCondition")


@dataclass(frozen=True)
class FieldRead:
    """A diagram element that reads a form's field."""

    field: str
    element_id: str
    element_name: str
    process: str  # the version's label, "Contact management v3"

    @property
    def message(self) -> str:
        where = f"{self.element_name} ({self.element_id})" if self.element_name else self.element_id
        return (f"The field {self.field} is read by {where} in {self.process}: keep the field, or change "
                "the diagram so nothing reads it and deploy that first.")


def removed_fields_read(ctx: Context, form_name: str, old: dict[str, object],
                        new: dict[str, object]) -> list[FieldRead]:
    """Reads of fields ``old`` has and ``new`` has not, by the current diagrams."""
    removed = set(_fields(old)) - set(_fields(new))
    if not removed:
        return []
    found: list[FieldRead] = []
    for summary in definitions.list_definitions(ctx.session):
        version = summary.current
        for text in version.files.values():
            found += reads_in_file(_bytes(text), form_name, removed, version.label, ctx.forms)
    return sorted(set(found), key=lambda read: (read.field, read.process, read.element_id))


def reads_in_file(content: bytes, form_name: str, fields: set[str], label: str,
                  forms: FormStore) -> list[FieldRead]:
    try:
        root = parse_bpmn(content)
    except etree.XMLSyntaxError:
        return []
    graph = _Graph(root)
    message_variable = _message_variables(root, form_name)
    found = []
    for start in graph.collectors(form_name, message_variable):
        for field in fields:
            key = (message_variable, field) if message_variable else field
            for element in graph.downstream(start, field, forms):
                if key not in graph.reads(element):
                    continue
                if element.tag == f"{BPMN}sequenceFlow":  # a condition: name the gateway it leaves
                    element = graph.by_id.get(element.get("sourceRef") or "", element)
                found.append(FieldRead(field, element.get("id"), (element.get("name") or "").strip(), label))
    return found


def _fields(schema: object) -> list[str]:
    return list((schema.get("properties") or {}) if isinstance(schema, dict) else {})


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _message_variables(root: Element, form_name: str) -> str | None:
    """The variable a message's payload goes into, when ``form_name`` is a message's payload form."""
    for message in root.iter(f"{BPMN}message"):
        if definitions.message_form(message.get("name") or "") == form_name:
            variable = message.find(".//spiffworkflow:messageVariable", NS)
            return (variable.text or "").strip() if variable is not None else None
    return None


def names_read(code: str) -> Code:
    """Names an expression or script reads, and ``name["key"]`` subscripts as (name, key)."""
    try:
        tree = ast.parse(code.strip(), mode="exec")
    except SyntaxError:
        return set()
    found: Code = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
              and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
            found.add((node.value.id, node.slice.value))
    return found


def names_assigned(code: str) -> set[str]:
    try:
        tree = ast.parse(code.strip(), mode="exec")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


class _Graph:
    """The sequence flows of one BPMN file, with sub-processes entered and left."""

    def __init__(self, root: Element) -> None:
        self.by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        self.flows = list(root.iter(f"{BPMN}sequenceFlow"))

    def collectors(self, form_name: str, message_variable: str | None) -> Iterator[Element]:
        for element in self.by_id.values():
            if _property(element, "formJsonSchemaFilename") == form_name:
                yield element
            elif message_variable is not None:
                definition = element.find("bpmn:messageEventDefinition", NS)
                if definition is not None and self._message_name(definition) == form_name:
                    yield element

    def _message_name(self, definition: Element) -> str:
        message = self.by_id.get(definition.get("messageRef") or "")
        return definitions.message_form(message.get("name") or "") if message is not None else ""

    def downstream(self, start: Element, field: str, forms: FormStore) -> list[Element]:
        """Elements (and conditional flows) reachable from ``start`` before ``field`` is set again."""
        seen, queue, out = {start.get("id")}, deque([start]), []
        while queue:
            element = queue.popleft()
            for following in self._next(element):
                if following.get("id") in seen:
                    continue
                seen.add(following.get("id"))
                out.append(following)
                if field in self._sets(following, forms):
                    continue  # asked or assigned again here: later reads are of that value
                queue.append(following)
        return out

    def _outgoing(self, element_id: str | None) -> list[Element]:
        return [f for f in self.flows if f.get("sourceRef") == element_id]

    def _next(self, element: Element) -> Iterator[Element]:
        """What the work reaches next: a conditional flow (it reads), or the next element."""
        if element.tag == f"{BPMN}sequenceFlow":
            flows = [element]
        else:
            flows = self._outgoing(element.get("id"))
            parent = element.getparent()
            if element.tag == f"{BPMN}endEvent" and parent is not None and parent.tag == f"{BPMN}subProcess":
                flows += self._outgoing(parent.get("id"))  # leaving a sub-process continues after it
        for flow in flows:
            if flow is not element and flow.find("bpmn:conditionExpression", NS) is not None:
                yield flow
                continue
            target = self.by_id.get(flow.get("targetRef") or "")
            if target is None:
                continue
            if target.tag == f"{BPMN}subProcess":  # entering one: its start, and its loop condition
                yield from target.findall("bpmn:startEvent", NS)
            yield target

    def _sets(self, element: Element, forms: FormStore) -> set[str]:
        form = _property(element, "formJsonSchemaFilename")
        names: set[str] = set()
        if form:
            try:
                names |= set(_fields(forms.load(form)))
            except Exception:  # noqa: BLE001 - a missing or broken form sets nothing
                pass
        script = element.find("bpmn:script", NS)
        if script is not None and script.text:
            names |= names_assigned(script.text)
        return names

    def reads(self, element: Element) -> Code:
        if element.tag == f"{BPMN}subProcess":
            nodes = element.findall("bpmn:standardLoopCharacteristics/bpmn:loopCondition", NS)
        else:
            nodes = list(element.iter(*(f"{BPMN}{tag}" for tag in CODE)))
        return set().union(*(names_read(node.text or "") for node in nodes))


def _property(element: Element, name: str) -> str | None:
    for prop in element.iterfind("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS):
        if prop.get("name") == name:
            value: str | None = prop.get("value")
            return value
    return None
