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

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from .sandbox import SandboxError, compile_snippet
from .specs import ProcessBundle, event_sources


@dataclass(frozen=True)
class BpmnProblem:
    """One thing wrong with an uploaded diagram, in words a process owner can act on."""

    message: str
    element_id: str | None = None
    file: str | None = None
    line: int | None = None

    def as_dict(self) -> dict:
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

    called = {ts.spec for spec in specs.values() for ts in spec.task_specs.values() if _is_call(ts)}
    for spec in specs.values():
        for task_spec in spec.task_specs.values():
            if _is_call(task_spec) and task_spec.spec not in specs:
                problems.append(_locate(BpmnProblem(
                    f"Call activity {task_spec.bpmn_id} calls process '{task_spec.spec}', which is not in the "
                    "uploaded files. Upload the called process too, or correct the called element.",
                    element_id=task_spec.bpmn_id), sources))
            problems.extend(_locate(p, sources) for p in _check_code(task_spec))
    if problems:
        raise BundleInvalid(problems)

    if main_process is None:
        roots = [pid for pid in process_ids if pid not in called] or process_ids
        main_process = roots[0]
    if main_process not in specs:
        raise BundleInvalid([BpmnProblem(f"The files hold no process with id '{main_process}'.")])
    subprocess_specs = {pid: spec for pid, spec in specs.items() if pid != main_process}
    return ProcessBundle(main_process, specs[main_process], subprocess_specs, dict(files))


def _read_xml(name: str, content: bytes, problems: list[BpmnProblem]) -> _Source | None:
    try:
        tree = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
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


def _is_call(task_spec) -> bool:
    return hasattr(task_spec, "spec") and isinstance(getattr(task_spec, "spec"), str) \
        and type(task_spec).__name__ in {"CallActivity", "TransactionSubprocess", "SubWorkflowTask"}


def _check_code(task_spec) -> list[BpmnProblem]:
    """Compile every piece of diagram code on this element; parse literal timers."""
    element = task_spec.bpmn_id
    snippets: list[tuple[str, str, str]] = []  # (what, source, mode)
    for condition, target in getattr(task_spec, "cond_task_specs", []) or []:
        source = condition.args[0] if hasattr(condition, "args") else condition
        if isinstance(source, str):
            snippets.append((f"the condition on the flow to {target}", source, "eval"))
    for attribute, what in (("script", "the script"), ("prescript", "the pre-script"),
                            ("postscript", "the post-script")):
        if getattr(task_spec, attribute, None):
            snippets.append((what, getattr(task_spec, attribute), "exec"))
    for attribute in ("condition", "cardinality"):
        value = getattr(task_spec, attribute, None)
        if isinstance(value, str) and value:
            snippets.append((f"the loop {attribute}", value, "eval"))
    timers = []
    for definition, _ in event_sources(task_spec):
        expression = getattr(definition, "expression", None)
        if isinstance(expression, str) and expression:
            snippets.append(("the event expression", expression, "eval"))
            if isinstance(definition, TimerEventDefinition):
                timers.append((definition, expression))

    problems = []
    for what, source, mode in snippets:
        try:
            compile_snippet(source.strip() if mode == "eval" else source, mode)
        except SandboxError as error:
            problems.append(BpmnProblem(f"Element {element}: {what} is refused. {error}", element_id=element))
    for definition, expression in timers:
        problem = _check_literal_timer(element, definition, expression)
        if problem:
            problems.append(problem)
    return problems


def _check_literal_timer(element: str, definition, expression: str) -> BpmnProblem | None:
    try:
        value = ast.literal_eval(expression.strip())
    except (ValueError, SyntaxError):
        return None  # an expression over case data, checked when reached
    if not isinstance(value, str):
        return BpmnProblem(f"Timer {element}: the value {expression} is not a quoted ISO 8601 text.",
                           element_id=element)
    try:
        if isinstance(definition, CycleTimerEventDefinition):
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif isinstance(definition, DurationTimerEventDefinition):
            TimerEventDefinition.parse_iso_duration(value)
        else:
            TimerEventDefinition.get_datetime(value)
    except Exception:
        return BpmnProblem(f"Timer {element}: '{value}' is not a valid ISO 8601 "
                           "duration (e.g. \"P3M\"), date-time or cycle.", element_id=element)
    return None
