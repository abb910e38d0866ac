"""Parse and fully validate a set of BPMN files into a deployable process bundle.

SpiffWorkflow parses lazily and checks little at parse time (see
shared/spiffworkflow-notes.md), so a bundle is accepted only after: the XSD
check, every process turned into a spec, every call activity target found,
every condition and script compiled under the sandbox, and every literal timer
parsed. Each problem names its element, file and line.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from .bpmn_xml import BPMN, SPIFF, parse_bpmn
from .sandbox import SandboxError, compile_snippet
from .spec_integrity import settle
from .specs import ProcessBundle, is_call_activity


@dataclass(frozen=True)
class BpmnProblem:
    """One thing wrong with an uploaded diagram, in words a process owner can act on."""

    message: str
    element_id: str | None = None
    file: str | None = None
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"element_id": self.element_id, "file": self.file, "line": self.line, "message": self.message}


class BundleInvalid(Exception):
    def __init__(self, problems: list[BpmnProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class _Source:
    name: str
    tree: etree._Element
    lines: dict[str, int] = field(default_factory=dict)


def load_bundle(files: dict[str, bytes], main_process: str | None = None) -> ProcessBundle:
    """Parse ``files`` (name → BPMN bytes); raise ``BundleInvalid`` listing every problem.

    ``main_process`` picks the process cases start on; by default the only
    executable process that no call activity calls.
    """
    parser = SpiffBpmnParser(validator=VALIDATOR)
    sources: list[_Source] = []
    problems: list[BpmnProblem] = []
    for name, content in sorted(files.items()):
        source = _read_xml(name, content, problems)
        if source is None:
            continue
        try:
            parser.add_bpmn_xml(source.tree, filename=name)
            sources.append(source)
        except ValidationException as error:
            problems.append(_from_validation(error, sources + [source]))
        except Exception as error:  # Spiff raises assorted errors on odd XML
            problems.append(BpmnProblem(f"The file could not be read as BPMN: {error}", file=name))
    if problems:
        raise BundleInvalid(problems)

    process_ids = list(parser.get_process_ids())
    if not process_ids:
        raise BundleInvalid([BpmnProblem("The diagram has no executable process (isExecutable=\"true\").",
                                         file=next(iter(files), None))])
    specs = {}
    for process_id in process_ids:
        try:
            specs[process_id] = parser.get_spec(process_id)
        except ValidationException as error:
            problems.append(_from_validation(error, sources))
        except (SpiffWorkflowException, Exception) as error:
            problems.append(_locate(BpmnProblem(f"Process {process_id} could not be built: {error}",
                                                element_id=process_id), sources))
    if problems:
        raise BundleInvalid(problems)

    called = {el.get("calledElement") for source in sources for el in source.tree.iter(f"{BPMN}callActivity")}
    for spec in specs.values():
        for task_spec in spec.task_specs.values():
            if is_call_activity(task_spec) and task_spec.spec not in specs:
                problems.append(_locate(BpmnProblem(
                    f"Call activity {task_spec.bpmn_id} calls process '{task_spec.spec}', which is not in the "
                    "uploaded files. Upload the called process too, or correct the called element.",
                    element_id=task_spec.bpmn_id), sources))
    for source in sources:
        problems.extend(_check_code(source))
    if problems:
        raise BundleInvalid(problems)

    if main_process is None:
        roots = [pid for pid in process_ids if pid not in called] or process_ids
        main_process = roots[0]
    if main_process not in specs:
        raise BundleInvalid([BpmnProblem(f"The files hold no process with id '{main_process}'.")])
    try:  # every process the main one needs: called processes and embedded sub-processes
        subprocess_specs = parser.get_subprocess_specs(main_process)
    except ValidationException as error:
        raise BundleInvalid([_from_validation(error, sources)]) from None
    for pid, spec in specs.items():  # other uploaded processes stay available to the modeller
        if pid != main_process:
            subprocess_specs.setdefault(pid, spec)
    properties = {k: v for source in sources for k, v in _xml_properties(source).items()}
    bundle = ProcessBundle(main_process, specs[main_process], subprocess_specs, dict(files), properties)
    settle(bundle)  # no case may ever change a shared spec (spec_integrity)
    return bundle


def _xml_properties(source: _Source) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for prop in source.tree.iter(f"{SPIFF}property"):
        owner = _owner_id(prop)
        if owner and prop.get("name"):
            found.setdefault(owner, {})[prop.get("name")] = prop.get("value", "")
    return found


def _read_xml(name: str, content: bytes, problems: list[BpmnProblem]) -> _Source | None:
    try:
        tree = parse_bpmn(content)
    except etree.XMLSyntaxError as error:
        problems.append(BpmnProblem(f"The file is not well-formed XML: {error.msg}", file=name,
                                    line=error.lineno))
        return None
    lines = {el.get("id"): el.sourceline for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    return _Source(name, tree, lines)


def _from_validation(error: ValidationException, sources: list[_Source]) -> BpmnProblem:
    message = str(error).split("\n")[0]
    problem = BpmnProblem(message, element_id=error.id or None, file=error.file_name or None,
                          line=error.line_number or None)
    return _locate(problem, sources)


def _locate(problem: BpmnProblem, sources: list[_Source]) -> BpmnProblem:
    """Fill in file and line from the XML (Spiff leaves the line empty for element errors)."""
    if problem.element_id is None or problem.line:
        return problem
    for source in sources:
        if problem.element_id in source.lines:
            return BpmnProblem(problem.message, problem.element_id, source.name, source.lines[problem.element_id])
    return problem


# Elements whose text is diagram code: (tag, what it is, compile mode).
_CODE_TAGS = {
    f"{BPMN}conditionExpression": ("the condition", "eval"),
    f"{BPMN}completionCondition": ("the completion condition", "eval"),
    f"{BPMN}loopCardinality": ("the loop cardinality", "eval"),
    f"{BPMN}loopCondition": ("the loop condition", "eval"),
    f"{BPMN}script": ("the script", "exec"),
    f"{SPIFF}preScript": ("the pre-script", "exec"),
    f"{SPIFF}postScript": ("the post-script", "exec"),
    f"{SPIFF}messagePayload": ("the message payload", "eval"),
}
_TIMER_TAGS = {f"{BPMN}timeDuration": "duration", f"{BPMN}timeDate": "date", f"{BPMN}timeCycle": "cycle"}


def _owner_id(element: Any) -> str | None:
    """The nearest enclosing element with an id: the flow, task or event the code belongs to."""
    node = element
    while node is not None:
        if node.get("id") and not node.tag.endswith("Definition"):
            return str(node.get("id"))
        node = node.getparent()
    return None


def _check_code(source: _Source) -> list[BpmnProblem]:
    """Compile every piece of diagram code in the file, reachable or not; parse literal timers."""
    problems = []
    for element in source.tree.iter():
        if not isinstance(element.tag, str) or not (element.text or "").strip():
            continue
        text = element.text
        if element.tag in _CODE_TAGS:
            what, mode = _CODE_TAGS[element.tag]
            owner = _owner_id(element)
            try:
                compile_snippet(text.strip() if mode == "eval" else text, mode)
            except SandboxError as error:
                problems.append(BpmnProblem(f"Element {owner}: {what} is refused. {error}", element_id=owner,
                                            file=source.name, line=element.sourceline))
        elif element.tag in _TIMER_TAGS:
            owner = _owner_id(element)
            problem = _check_timer(owner, _TIMER_TAGS[element.tag], text.strip())
            if problem:
                problems.append(BpmnProblem(problem, element_id=owner, file=source.name, line=element.sourceline))
    return problems


def _check_timer(element: str | None, kind: str, expression: str) -> str | None:
    try:
        compile_snippet(expression, "eval")
    except SandboxError as error:
        return f"Timer {element}: the expression is refused. {error}"
    try:
        value = ast.literal_eval(expression)
    except (ValueError, SyntaxError):
        return None  # an expression over case data, checked when reached
    if not isinstance(value, str):
        return f"Timer {element}: the value {expression} is not a quoted ISO 8601 text, like \"P3M\"."
    try:
        if kind == "cycle":
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif kind == "duration":
            TimerEventDefinition.parse_iso_duration(value)
        else:
            TimerEventDefinition.get_datetime(value)
    except Exception:
        return (f"Timer {element}: '{value}' is not a valid ISO 8601 duration (e.g. \"P3M\"), "
                "date-time or cycle.")
    return None
