"""Pin every upload problem to a diagram element, in words a process owner can act on.

The engine reports most problems against an element already. A few come out of
SpiffWorkflow's parser without one (a data store it has no storage for, no
executable process) or with Python's internals in the text (``<Element ... at
0x...>``), and a message without a payload form names no element at all. Those
are found in the XML here, so the API's 422 names the element and the modeller
can mark it on the canvas.
"""
from __future__ import annotations

import re

from lxml import etree

from ...engine import BpmnProblem
from ...engine.bpmn_xml import BPMN, parse_bpmn

_LXML_REPR = re.compile(r"\s*<Element [^>]*>")
_SERVICE_TASK = "A Service Task must have an operator"


def pin(problems: list[BpmnProblem], files: dict[str, bytes]) -> list[BpmnProblem]:
    """``problems`` with an element and plain text wherever the XML can tell."""
    trees = _trees(files)
    pinned: list[BpmnProblem] = []
    for problem in problems:
        pinned.extend(_pin_one(problem, trees))
    return pinned


def _pin_one(problem: BpmnProblem, trees: dict[str, etree._Element]) -> list[BpmnProblem]:
    message = problem.message
    if problem.element_id is None:
        if "no executable process" in message:
            found = [_not_executable(process, name) for name, tree in trees.items()
                     for process in tree.iter(f"{BPMN}process") if process.get("isExecutable") != "true"]
            return found or [problem]
        store = re.match(r"Data Store with name (.*?) has no implementation", " ".join(message.split()))
        if store or message.startswith("Data Store with name"):
            return [_data_store(problem, trees, store.group(1) if store else None)]
        named = re.match(r"The message '([^']+)'", message)
        if named:
            return [_message(problem, trees, named.group(1))]
        if problem.line and problem.file in trees:
            return [_at_line(problem, trees[problem.file])]
        return [problem]
    if "When looking for a task spec" in message:  # Spiff's words for a flow to nowhere
        return _dangling_flows(trees) or [_reword(problem, trees)]
    return [_reword(problem, trees)]


def _at_line(problem: BpmnProblem, tree: etree._Element) -> BpmnProblem:
    """A schema (XSD) error: the element on that line, or the nearest one around it with an id."""
    found = next((e for e in tree.iter() if isinstance(e.tag, str) and e.sourceline == problem.line), None)
    while found is not None and not found.get("id"):
        found = found.getparent()
    if found is None:
        return problem
    text = re.sub(r"\{http://www\.omg\.org/spec/BPMN/20100524/MODEL\}", "bpmn:", problem.message)
    text = re.sub(r"\{[^}]+\}", "", text).replace("..", ".").strip()
    return BpmnProblem(f"{_describe(found)} does not follow the BPMN schema: {text}", found.get("id"),
                       problem.file, problem.line)


def _dangling_flows(trees: dict[str, etree._Element]) -> list[BpmnProblem]:
    problems = []
    for file, tree in trees.items():
        ids = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
        for flow in tree.iter(f"{BPMN}sequenceFlow"):
            for end in ("sourceRef", "targetRef"):
                if flow.get(end) not in ids:
                    problems.append(BpmnProblem(
                        f"{_describe(flow)} {'starts at' if end == 'sourceRef' else 'leads to'} "
                        f"'{flow.get(end)}', which is not in the diagram. Connect it to an element or remove it.",
                        flow.get("id"), file, flow.sourceline))
    return problems


def _reword(problem: BpmnProblem, trees: dict[str, etree._Element]) -> BpmnProblem:
    element, file = _find(trees, problem.element_id)
    what = _describe(element) if element is not None else problem.element_id
    text = " ".join(_LXML_REPR.sub("", problem.message).split()).rstrip(". ") + "."
    text = text.replace("..", ".")
    if text.startswith(("Cannot resolve dataInputAssociation", "Cannot resolve dataOutputAssociation")):
        direction = "reads from" if "Input" in text else "writes to"
        text = (f"{what} {direction} a data store or data object that Boundary cannot resolve. Remove the "
                "data association: case data is kept by the forms, not in data stores.")
    elif text.startswith(_SERVICE_TASK):
        text = (f"{what} is a service task, and Boundary has no services for a diagram to call. Make it a user "
                "task (someone does it) or remove it.")
    elif problem.element_id and problem.element_id not in text:
        text = f"{what}: {text}"
    return BpmnProblem(text, problem.element_id, problem.file or file, problem.line or _line(element))


def _not_executable(process: etree._Element, file: str) -> BpmnProblem:
    return BpmnProblem(
        f"{_describe(process)} is not marked executable, so Boundary cannot run it. Mark the process executable "
        "(isExecutable=\"true\") if cases should follow it.", process.get("id"), file, process.sourceline)


def _data_store(problem: BpmnProblem, trees: dict[str, etree._Element], name: str | None) -> BpmnProblem:
    for file, tree in trees.items():
        for store in tree.iter(f"{BPMN}dataStore"):
            if name is None or " ".join((store.get("name") or "").split()) == name:
                return BpmnProblem(
                    f"{_describe(store)}: Boundary has no storage behind data stores. Remove the data store and "
                    "its references; case data is kept by the forms.", store.get("id"), file, store.sourceline)
    return problem


def _message(problem: BpmnProblem, trees: dict[str, etree._Element], name: str) -> BpmnProblem:
    """The first event that uses the message, else the message itself."""
    for file, tree in trees.items():
        ids = {m.get("id") for m in tree.iter(f"{BPMN}message") if m.get("name") == name}
        for user in tree.iter():  # events (through their definition), receive and send tasks
            if isinstance(user.tag, str) and user.get("messageRef") in ids and user.tag != f"{BPMN}messageFlow":
                event = user.getparent() if user.tag == f"{BPMN}messageEventDefinition" else user
                return BpmnProblem(f"{_describe(event)}: {problem.message}", event.get("id"), file, event.sourceline)
        for message in tree.iter(f"{BPMN}message"):
            if message.get("name") == name:
                return BpmnProblem(problem.message, message.get("id"), file, message.sourceline)
    return problem


def _trees(files: dict[str, bytes]) -> dict[str, etree._Element]:
    trees = {}
    for name, content in files.items():
        try:
            trees[name] = parse_bpmn(content)
        except etree.XMLSyntaxError:
            continue
    return trees


def _find(trees: dict[str, etree._Element], element_id: str | None) -> tuple[etree._Element | None, str | None]:
    for file, tree in trees.items():
        for element in tree.iter():
            if isinstance(element.tag, str) and element.get("id") == element_id:
                return element, file
    return None, None


def _line(element: etree._Element | None) -> int | None:
    return element.sourceline if element is not None else None


def _describe(element: etree._Element) -> str:
    """``Service task 'Archive invoice' (archiveInvoice)``: kind, name and id."""
    kind = re.sub(r"(?<!^)([A-Z])", r" \1", etree.QName(element).localname).lower()
    kind = kind[:1].upper() + kind[1:]
    name = " ".join((element.get("name") or "").split())
    return f"{kind} '{name}' ({element.get('id')})" if name else f"{kind} {element.get('id')}"
