"""Deploy-time checks that match what the engine will need, each pinned to its element.

The engine's own parse (``engine.loader``) proves a diagram can be built; these
prove a case on it can finish: every flow joins two elements, every element
lies on a path from a start to an end, every human task has a form, every name
diagram code reads is set on every path before it (``data_flow``), every
exclusive gateway without a default flow has a condition for each choice of
the field it tests, and every due period parses. ``definitions.validate_files``
runs them, so the API, the upload page and the modeller's check refuse alike.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

import isodate

from ...engine import BpmnProblem
from ...errors import BoundaryError
from ..core.context import Context
from .data_flow import DataFlow, unset_reads
from .diagram_graph import DiagramGraph, Node, Scope, describe, read

HUMAN_TASKS = {"userTask", "manualTask", "task"}


def structure_problems(files: dict[str, bytes]) -> list[BpmnProblem]:
    """Flows that do not join two elements of the same process (checked before the engine parses)."""
    graph = read(files)
    ids = graph.ids()
    problems = []
    for scope in graph.scopes():
        for flow in scope.flows:
            for end, verb in ((flow.source, "starts at"), (flow.target, "leads to")):
                if not end:
                    text = f"{'has no source' if verb == 'starts at' else 'has no target'}"
                elif end not in ids:
                    text = f"{verb} '{end}', which is not in the diagram"
                elif end not in scope.nodes:
                    text = f"{verb} '{end}', which is in another process or sub-process"
                else:
                    continue
                problems.append(BpmnProblem(
                    f"{describe(flow.element)} {text}. Connect both ends of the flow to elements of "
                    "the same process, or remove it.", flow.id, scope.file, flow.element.sourceline))
    return problems


def problems(ctx: Context, files: dict[str, bytes], main_process: str) -> list[BpmnProblem]:
    """Every deploy-time problem in a bundle the engine has parsed."""
    graph = read(files)
    found: list[BpmnProblem] = []
    for scope in graph.scopes():
        found.extend(_reachability(scope))
        for node in scope.nodes.values():
            found.extend(_node_problems(node))
    fields = _FormFields(ctx)
    found.extend(_gateway_coverage(graph, fields))
    found.extend(unset_reads(DataFlow(graph, fields.names), main_process))
    return found


def _node_problems(node: Node) -> Iterable[BpmnProblem]:
    props = node.properties
    if node.kind in HUMAN_TASKS and not props.get("formJsonSchemaFilename"):
        yield _at(node, f"{node.label} has no form, so nobody can complete it and nothing it decides reaches "
                        "the case data. Choose the form people fill in for it.")
    due = props.get("dueIn")
    if due is not None and not _positive_duration(due):  # case_rows.due_at would ignore it: never overdue
        yield _at(node, f"{node.label}: the due period '{due}' is not an ISO 8601 duration longer than "
                        "nothing. Write it like P5D (five days), P2W (two weeks) or P1M (a month).")


def _positive_duration(text: str) -> bool:
    try:
        period = isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError, TypeError):
        return False
    some_day = datetime(2026, 1, 31, tzinfo=timezone.utc)
    return bool(some_day + period > some_day)


def _reachability(scope: Scope) -> list[BpmnProblem]:
    starts = scope.starts
    if not starts or not scope.nodes:
        return []
    # every flow has both ends here: structure_problems refused any that does not before the engine parsed
    reached = _closure(starts, lambda n: [scope.nodes[f.target or ""] for f in n.outgoing] + n.boundary)
    ends = [n for n in scope.nodes.values() if n.kind == "endEvent"]
    by_id = scope.nodes
    finishing = _closure(ends, lambda n: [by_id[f.source or ""] for f in n.incoming]
                         + ([by_id[n.attached_to]] if n.attached_to is not None and n.attached_to in by_id
                            else []))
    found = []
    for node in scope.nodes.values():
        if node not in reached:
            found.append(_at(node, f"{node.label} cannot be reached from a start event: no flow leads to it. "
                                   "Connect it, or remove it."))
        elif node not in finishing and not _compensation(node):
            found.append(_at(node, f"{node.label} cannot reach an end event: cases that get here would never "
                                   "finish. Add the missing outgoing flow, or an end event."))
    return found


def _closure(first: list[Node], step: Callable[[Node], list[Node]]) -> set[Node]:
    seen: set[Node] = set()
    todo = list(first)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(step(node))
    return seen


def _compensation(node: Node) -> bool:
    return node.kind == "boundaryEvent" and any("compensate" in str(child.tag) for child in node.element)


# -- exclusive gateways --------------------------------------------------------
class _FormFields:
    """Forms' fields, each form read once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._cache: dict[str, dict[str, Any]] = {}

    def schema(self, form: str) -> dict[str, Any]:
        if form not in self._cache:
            try:
                loaded = self.ctx.forms.load(form)
            except (BoundaryError, OSError, ValueError):  # a missing or broken form is reported by its own check
                loaded = {}
            properties = loaded.get("properties") if isinstance(loaded, dict) else None
            self._cache[form] = properties if isinstance(properties, dict) else {}
        return self._cache[form]

    def names(self, form: str) -> set[str]:
        return set(self.schema(form))


def _gateway_coverage(graph: DiagramGraph, fields: _FormFields) -> list[BpmnProblem]:
    found = []
    for scope in graph.scopes():
        for node in scope.nodes.values():
            if node.kind != "exclusiveGateway" or node.element.get("default") or len(node.outgoing) < 2:
                continue
            if any(not flow.condition for flow in node.outgoing):
                continue
            tested = _single_field([flow.condition or "" for flow in node.outgoing])
            if tested is None:
                continue
            name, conditions = tested
            choices, forms = _choices(node, scope, name, fields)
            missed = [c for c in choices if not any(_holds(cond, name, c) for cond in conditions)]
            if missed:
                listed = ", ".join(repr(c) if isinstance(c, str) else str(c).lower() for c in missed)
                found.append(_at(node, (
                    f"{node.label} has no default flow, and no condition matches {name} = {listed} "
                    f"(a choice on the form {', '.join(sorted(forms))}). Cases with that answer would stop "
                    "here. Add a condition for it or mark one flow as the default.")))
    return found


def _single_field(conditions: list[str]) -> tuple[str, list[ast.expr]] | None:
    """The one field every condition tests (with ==, !=, in, not in, not), else None."""
    parsed, names = [], set()
    for text in conditions:
        try:
            expression = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            return None
        if not _simple(expression):
            return None
        names |= {n.id for n in ast.walk(expression) if isinstance(n, ast.Name)}
        parsed.append(expression)
    return (names.pop(), parsed) if len(names) == 1 else None


def _simple(node: ast.AST) -> bool:
    allowed = (ast.Expression, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Tuple, ast.List,
               ast.Set, ast.Load, ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.And, ast.Or, ast.Not)
    return all(isinstance(n, allowed) for n in ast.walk(node))


def _holds(node: ast.expr, name: str, value: object) -> bool:
    """Whether a simple condition is true when ``name`` is ``value``."""
    if isinstance(node, ast.Name):
        return bool(value)
    if isinstance(node, ast.Constant):
        return bool(node.value)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return bool(node.elts)
    if isinstance(node, ast.UnaryOp):
        return not _holds(node.operand, name, value)
    if isinstance(node, ast.BoolOp):
        results = (_holds(v, name, value) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = _value(node.left, value)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _value(right_node, value)
            compare: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
                ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
                ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
            ok = compare[type(op)](left, right)
            if not ok:
                return False
            left = right
        return True
    return True


def _value(node: ast.expr, value: object) -> object:
    if isinstance(node, ast.Name):
        return value
    if isinstance(node, ast.Constant):
        return node.value
    return [_value(e, value) for e in node.elts]  # type: ignore[attr-defined]


def _choices(gateway: Node, scope: Scope, name: str, fields: _FormFields) -> tuple[list[Any], set[str]]:
    """The values ``name`` can take here: the choices of the forms that last set it on the way in."""
    forms: set[str] = set()
    seen: set[Node] = set()
    todo = [gateway]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        form = node.properties.get("formJsonSchemaFilename")
        if node is not gateway and form and name in fields.names(form):
            forms.add(form)
            continue
        todo.extend(scope.nodes[f.source] for f in node.incoming if f.source in scope.nodes)
        if node.attached_to in scope.nodes:
            todo.append(scope.nodes[node.attached_to])
    choices: list[Any] = []
    for form in sorted(forms):
        field = fields.schema(form).get(name)
        if not isinstance(field, dict):
            return [], forms
        options = field.get("enum")
        if options is None and field.get("type") == "boolean":
            options = [True, False]
        if not isinstance(options, list):
            return [], forms  # a free-text or number field: only a default flow would cover it
        choices.extend(o for o in options if o not in choices)
    return choices, forms


def _at(node: Node, message: str) -> BpmnProblem:
    return BpmnProblem(message, element_id=node.id, file=node.file, line=node.element.sourceline)
