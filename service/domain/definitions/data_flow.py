"""Which case data is certainly set where: a check that diagram code never reads a name nobody set.

Issue #22: a manager-review task with its form removed deployed cleanly, and
the next case stopped at the gateway with "Error evaluating expression
'decision == ...'". This finds that at deploy time. For every element it
computes the names *definitely assigned* on all paths that reach it (a
must-analysis: intersection where exclusive paths meet, union at a parallel
join, which merges its branches' data, iterated to a fixpoint over loops).

What assigns a name, as the engine and the service do it:
- a form (start event or task): its fields, whether or not the person fills
  in an optional one (a missing optional field is answered at run time);
- a message catch: its ``messageVariable``;
- a script, pre- or post-script: the names it stores;
- a task with ``schedulesReview``: ``next_review_at`` (``domain.core.reviews``);
- a task with ``notesNeeds``: ``needs_on_record`` (``domain.core.equality``);
- a call activity: what the called process sets on every path to its end
  (the caller's data goes in and comes back, as SpiffWorkflow copies it);
- an embedded sub-process: what its own flow sets;
- the service: ``CASE_WIDE`` names in every case's data from the start.

An event sub-process starts from the case's start data (it hangs off the
process start in the engine's task tree) plus its message. A called process
starts from what every one of its call sites certainly has.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ...engine import BpmnProblem
from ...engine.bpmn_xml import BPMN, SPIFF
from ...engine.sandbox import PROVIDED_NAMES
from ..core.equality import FIELD as NEEDS_FIELD, PROPERTY as NEEDS_PROPERTY
from ..core.reviews import FIELD as REVIEW_FIELD, PROPERTY as REVIEW_PROPERTY
from .diagram_graph import DiagramGraph, Node, Scope, event_definitions, own_text

CASE_WIDE = frozenset({"monitoring_period"})  # cases.start_case puts it into every case's data
Names = frozenset[str]
_TIMERS = (f"{BPMN}timeDuration", f"{BPMN}timeDate", f"{BPMN}timeCycle")


def free_names(code: str, mode: str = "eval") -> set[str]:
    """The names ``code`` reads before setting them, less the sandbox's own (builtins, ``is_serious``)."""
    try:
        tree = ast.parse(code.strip() if mode == "eval" else code, mode=mode)
    except SyntaxError:
        return set()  # the loader refuses it with its own message
    statements = tree.body if isinstance(tree, ast.Module) else [tree]
    stored: set[str] = set()
    free: set[str] = set()
    for statement in statements:
        local = _bound_inside(statement)
        free |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                 and n.id not in stored and n.id not in local}
        stored |= assigned_names(statement)
    return free - PROVIDED_NAMES


def assigned_names(code: str | ast.AST) -> set[str]:
    """Top-level names a script stores (not a comprehension's or lambda's own)."""
    if isinstance(code, str):
        try:
            code = ast.parse(code, mode="exec")
        except SyntaxError:
            return set()
    inner = _bound_inside(code)
    return {n.id for n in ast.walk(code) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} - inner


def _bound_inside(tree: ast.AST) -> set[str]:
    """Names bound by comprehensions, lambdas and function definitions (local to them)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            bound |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Lambda, ast.FunctionDef)):
            bound |= {a.arg for a in node.args.args + node.args.kwonlyargs}
    return bound


@dataclass
class ScopeResult:
    """Names certainly set before (``ins``) and after (``outs``) each node; None: never reached."""

    scope: Scope
    entry: Names
    ins: dict[str, Names | None]
    outs: dict[str, Names | None]
    inner: dict[str, ScopeResult] = field(default_factory=dict)
    events: list[ScopeResult] = field(default_factory=list)

    def end(self, fallback: Names) -> Names:
        ends = [self.outs[n.id] for n in self.scope.nodes.values() if n.kind == "endEvent"]
        known = [e for e in ends if e is not None]
        return frozenset.intersection(*known) if known else fallback

    def walk(self) -> Iterable[ScopeResult]:
        yield self
        for result in [*self.inner.values(), *self.events]:
            yield from result.walk()


class DataFlow:
    """The analysis over one bundle's graph; ``form_fields(name)`` gives a form's field names."""

    def __init__(self, graph: DiagramGraph, form_fields: Callable[[str], set[str]]) -> None:
        self.graph = graph
        self.form_fields = form_fields
        self._summaries: dict[str, Names] = {}
        self._summarising: set[str] = set()

    # -- what a node sets ------------------------------------------------------
    def sets(self, node: Node) -> set[str]:
        """Names the node itself sets, apart from what a called or embedded process sets."""
        names: set[str] = set()
        props = node.properties
        if props.get("formJsonSchemaFilename"):
            names |= self.form_fields(props["formJsonSchemaFilename"])
        if props.get(REVIEW_PROPERTY):
            names.add(REVIEW_FIELD)
        if props.get(NEEDS_PROPERTY) == "true":
            names.add(NEEDS_FIELD)
        if node.kind == "scriptTask":
            names |= assigned_names(own_text(node.element, f"{BPMN}script") or "")
        for tag in (f"{SPIFF}preScript", f"{SPIFF}postScript"):
            names |= assigned_names(own_text(node.element, tag) or "")
        if node.kind in ("startEvent", "intermediateCatchEvent", "boundaryEvent", "receiveTask"):
            names |= self._message_variables(node)
        return names

    def _message_variables(self, node: Node) -> set[str]:
        found = set()
        carriers = [d for d in event_definitions(node) if d.tag == f"{BPMN}messageEventDefinition"]
        if node.kind == "receiveTask":
            carriers.append(node.element)
        for carrier in carriers:
            variable = own_text(carrier, f"{SPIFF}messageVariable")
            message = self.graph.messages.get(carrier.get("messageRef") or "")
            if variable is None and message is not None:
                variable = own_text(message, f"{SPIFF}messageVariable")
            if variable:
                found.add(variable.strip())
        return found

    def summary(self, process_id: str) -> Names:
        """What a called process certainly sets between its start and its end."""
        if process_id not in self._summaries:
            process = self.graph.processes.get(process_id)
            if process is None or process_id in self._summarising:
                return frozenset()
            self._summarising.add(process_id)
            self._summaries[process_id] = self.solve(process, frozenset()).end(frozenset())
            self._summarising.discard(process_id)
        return self._summaries[process_id]

    # -- the fixpoint ----------------------------------------------------------
    def solve(self, scope: Scope, entry: Names) -> ScopeResult:
        ins: dict[str, Names | None] = {n: None for n in scope.nodes}
        outs: dict[str, Names | None] = dict(ins)
        inner: dict[str, ScopeResult] = {}
        changed = True
        while changed:
            changed = False
            for node in scope.nodes.values():
                before = self._in(node, scope, entry, ins, outs)
                if before is None or before == ins[node.id] and outs[node.id] is not None:
                    continue
                after = before | self.sets(node)
                if node.kind == "callActivity":
                    after |= self.summary(node.element.get("calledElement") or "")
                if node.inner is not None:
                    inner[node.id] = self.solve(node.inner, before)
                    after |= inner[node.id].end(before)
                ins[node.id], outs[node.id] = before, frozenset(after)
                changed = True
        result = ScopeResult(scope, entry, ins, outs, inner)
        start_data = [out for n in scope.starts if not event_definitions(n) and (out := outs[n.id]) is not None]
        event_entry = frozenset.intersection(*start_data) if start_data else entry
        result.events = [self.solve(sub, event_entry) for sub in scope.event_subprocesses]
        return result

    @staticmethod
    def _in(node: Node, scope: Scope, entry: Names, ins: dict[str, Names | None],
            outs: dict[str, Names | None]) -> Names | None:
        if node.kind == "startEvent":
            return entry
        if node.attached_to:
            return ins.get(node.attached_to)
        preds = [outs.get(flow.source) if flow.source is not None else None for flow in node.incoming]
        if not preds:
            return None
        known = [p for p in preds if p is not None]
        if node.kind == "parallelGateway" and len(preds) > 1:  # the join merges every branch's data
            return None if len(known) < len(preds) else frozenset().union(*known)
        return frozenset.intersection(*known) if known else None

    def run(self, main: str) -> list[ScopeResult]:
        """Solve the main process and every process it calls, each from what its callers certainly have."""
        entries: dict[str, Names] = {main: CASE_WIDE}
        results: dict[str, ScopeResult] = {}
        for _ in range(len(self.graph.processes) + 2):
            results = {pid: self.solve(self.graph.processes[pid], entry) for pid, entry in entries.items()
                       if pid in self.graph.processes}
            calls: dict[str, Names] = {}
            for result in results.values():
                for part in result.walk():
                    for node in part.scope.nodes.values():
                        called, known = node.element.get("calledElement"), part.ins[node.id]
                        if node.kind == "callActivity" and called and known is not None and called != main:
                            calls[called] = calls[called] & known if called in calls else known
            wanted = {main: CASE_WIDE, **{pid: names | CASE_WIDE for pid, names in calls.items()}}
            if wanted == entries:
                break
            entries = wanted
        return list(results.values())


def unset_reads(flow: DataFlow, main: str) -> list[BpmnProblem]:
    """Every element whose code reads a name not certainly set when it runs, pinned to the element."""
    problems = []
    for result in flow.run(main):
        for part in result.walk():
            for node in part.scope.nodes.values():
                before, after = part.ins[node.id], part.outs[node.id]
                if before is None or after is None:
                    continue  # never reached: the reachability check says so
                for what, names in _reads(node, before, after):
                    problems.append(_problem(node, what, names))
    return problems


def _reads(node: Node, before: Names, after: Names) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, set[str], Names]] = []
    conditions = [(flow, free_names(flow.condition) - after - CASE_WIDE) for flow in node.outgoing if flow.condition]
    failing = [(flow, names) for flow, names in conditions if names]
    if failing:  # one problem for the element, however many of its flows read the name
        flows = ", ".join(f"'{f.element.get('name')}' ({f.id})" if f.element.get("name") else f.id
                          for f, _ in failing)
        what = f"the condition{'s' if len(failing) > 1 else ''} on flow{'s' if len(failing) > 1 else ''} {flows}"
        found.append((what, set().union(*(names for _, names in failing)), after))
    for definition in event_definitions(node):
        for tag in _TIMERS:
            timer = definition.find(tag)
            if timer is not None and (timer.text or "").strip():
                found.append(("the timer", free_names(timer.text), before))
        payload = own_text(definition, f"{SPIFF}messagePayload")
        if payload:
            found.append(("the message payload", free_names(payload), before))
    if node.kind == "scriptTask":
        found.append(("the script", free_names(own_text(node.element, f"{BPMN}script") or "", "exec"), before))
    for tag, what, known in ((f"{SPIFF}preScript", "the pre-script", before),
                             (f"{SPIFF}postScript", "the post-script", after)):
        code = own_text(node.element, tag)
        if code:
            found.append((what, free_names(code, "exec"), known))
    for loop in node.element.findall(f"{BPMN}standardLoopCharacteristics") + node.element.findall(
            f"{BPMN}multiInstanceLoopCharacteristics"):
        for tag, what, known in ((f"{BPMN}loopCondition", "the loop condition", after),
                                 (f"{BPMN}completionCondition", "the completion condition", after),
                                 (f"{BPMN}loopCardinality", "the loop cardinality", before)):
            code = own_text(loop, tag)
            if code:
                found.append((what, free_names(code), known))
    return [(what, sorted(names - known - CASE_WIDE)) for what, names, known in found if names - known - CASE_WIDE]


def _problem(node: Node, what: str, names: list[str]) -> BpmnProblem:
    listed = ", ".join(f"'{n}'" for n in names)
    plural = len(names) > 1
    return BpmnProblem(
        f"{node.label}: {what} {'read' if what.startswith('the conditions') else 'reads'} {listed}, which "
        f"{'are' if plural else 'is'} not set on every path that reaches it (no form field, message payload or "
        f"earlier script sets {'them' if plural else 'it'}). Cases would stop here with an error. Give the task "
        "before it a form with this field, or change the code that reads it.",
        element_id=node.id, file=node.file, line=node.element.sourceline)
