"""One case's running workflow behind a small interface of Boundary's own.

Callers never see SpiffWorkflow objects: they get ``ReadyTask`` and ``Waiting``
values, and engine failures come out as ``EngineError`` subclasses. After any
exception the in-memory workflow may be corrupt (spiffworkflow-notes.md), so
callers must discard it and never save it.
"""
from __future__ import annotations

import copy
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from . import clock
from .sandbox import BudgetExceeded, SandboxError, make_script_engine
from .serializer import dump_state, load_state
from .specs import ElementInfo, ProcessBundle, describe, event_sources

clock.install()  # SpiffWorkflow's timers read the service's clock before any case runs (idempotent)

T = TypeVar("T")
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
# On the root task: element id -> completions in repetitions ``_prune`` dropped (history for the diagram).
PRUNED_HISTORY = "boundary_pruned_history"


class EngineError(Exception):
    """The engine could not do what was asked; nothing should be saved."""


class TaskNotReady(EngineError):
    pass


class NotWaitingForMessage(EngineError):
    pass


class ScriptFailed(EngineError):
    """Diagram code failed or was refused while the case ran.

    ``over_budget``: it ran out of time, steps or memory. ``missing`` names the
    case value the code read and did not find, when that was the failure: a
    caller can then ask the user for it, if it is a field of the form they just
    filled in.
    """

    def __init__(self, message: str, over_budget: bool = False, missing: str | None = None):
        super().__init__(message)
        self.over_budget, self.missing = over_budget, missing


@dataclass(frozen=True)
class ReadyTask:
    id: str
    info: ElementInfo
    data: dict[str, Any]


@dataclass(frozen=True)
class Waiting:
    kind: str  # "timer" or "message"
    name: str
    element_id: str
    due_at: datetime | None = None


class CaseRun:
    """A case's workflow, loaded for one unit of work."""

    def __init__(self, bundle: ProcessBundle, workflow: BpmnWorkflow):
        self.bundle = bundle
        self.workflow = workflow
        workflow.script_engine = make_script_engine()  # subprocesses read the top workflow's

    @classmethod
    def start(cls, bundle: ProcessBundle, data: dict[str, Any]) -> CaseRun:
        workflow = BpmnWorkflow(bundle.spec, dict(bundle.subprocess_specs), script_engine=make_script_engine())
        run = cls(bundle, workflow)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(copy.deepcopy(data))
        run._steps()
        return run

    @classmethod
    def load(cls, bundle: ProcessBundle, state: str) -> CaseRun:
        run = cls(bundle, load_state(bundle, state))
        run._drop_unstarted_event_subprocesses()
        return run

    def dump(self) -> str:
        return dump_state(self.workflow)

    # -- reading ---------------------------------------------------------
    def ready_tasks(self) -> list[ReadyTask]:
        return [ReadyTask(str(t.id), self._info(t), t.data)
                for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)]

    def task(self, task_id: str) -> ReadyTask | None:
        task = self._find(task_id)
        return ReadyTask(str(task.id), self._info(task), task.data) if task else None

    def waiting(self) -> list[Waiting]:
        found = [Waiting("message", name, element) for name, (element, _) in self._armed_triggers().items()]
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            for definition, element_id in event_sources(task.task_spec):
                if isinstance(definition, TimerEventDefinition):
                    found.append(Waiting("timer", element_id, element_id, _timer_due(task)))
                elif isinstance(definition, MessageEventDefinition):
                    found.append(Waiting("message", definition.name, element_id))
        return found

    @property
    def finished(self) -> bool:
        return bool(self.workflow.is_completed())

    def active_elements(self) -> list[ElementInfo]:
        return [self._info(t) for t in self.workflow.get_tasks(state=ACTIVE) if t.task_spec.bpmn_id]

    def completed_elements(self) -> list[str]:
        return sorted({t.task_spec.bpmn_id for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
                       if t.task_spec.bpmn_id})

    def completed_counts(self) -> dict[str, int]:
        """How many times each element completed: in the tree, plus in repetitions ``_prune`` dropped."""
        counts = _completed(self.workflow.get_tasks(state=TaskState.COMPLETED))
        counts.update(self.workflow.task_tree._get_internal_data(PRUNED_HISTORY) or {})
        return dict(counts)

    def reached_end_events(self) -> list[ElementInfo]:
        """End events of the main process that completed, in the order they completed."""
        ends = [t for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
                if t.workflow is self.workflow and type(t.task_spec).__name__ == "EndEvent"]
        ends.sort(key=lambda t: t.last_state_change)
        return [self._info(t) for t in ends]

    def data(self) -> dict[str, Any]:
        """The case's current data: the latest completed task's data, plus the workflow's."""
        done = self.workflow.get_tasks(state=TaskState.COMPLETED)
        latest = max(done, key=lambda t: t.last_state_change).data if done else {}
        return {**self.workflow.data, **latest}

    # -- changing --------------------------------------------------------
    def complete(self, task_id: str, data: dict[str, Any]) -> None:
        task = self._find(task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(f"Task {task_id} is not waiting for anyone.")
        task.data.update(copy.deepcopy(data))
        self._guard(task.run)
        self._steps()

    def send_message(self, name: str, payload: dict[str, Any]) -> None:
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            for definition, _ in event_sources(task.task_spec):
                if isinstance(definition, MessageEventDefinition) and definition.name == name:
                    event = BpmnEvent(copy.copy(definition), payload=copy.deepcopy(payload))
                    self._guard(functools.partial(self.workflow.send_event, event))
                    self._steps()
                    return
        armed = self._armed_triggers().get(name)
        if armed is not None:
            event = BpmnEvent(copy.copy(armed[1]), payload=copy.deepcopy(payload))
            self._guard(lambda: self.workflow.send_event(event))
            self._steps()
            return
        raise NotWaitingForMessage(f"The case is not waiting for the message '{name}'.")

    def _armed_triggers(self) -> dict[str, tuple[str, object]]:
        """Messages that start one of the main process's event sub-processes, while armed.

        SpiffWorkflow arms message-started event sub-processes only for the top
        process and for its whole life; Boundary scopes them: a message is
        accepted only while an active element lists it in its ``acceptsMessages``
        property (e.g. the contact strategy call activity).
        """
        accepted = {name for info in self.active_elements()
                    for name in info.properties.get("acceptsMessages", "").split()}
        open_case = not self.finished  # a start event marked ``acceptedWhileOpen`` takes its message at any stage
        armed = {}
        for spec_name in self.workflow.spec.start.trigger_specs:
            spec = self.workflow.subprocess_specs.get(spec_name)
            for start in getattr(spec, "bpmn_start_events", []):
                definition = start.event_definition
                if not isinstance(definition, MessageEventDefinition):
                    continue
                info = self.bundle.elements.get(start.bpmn_id) or describe(start, spec_name)
                if definition.name in accepted or (open_case and info.properties.get("acceptedWhileOpen") == "true"):
                    armed[definition.name] = (start.bpmn_id, definition)
        return armed

    def fire_due_timers(self) -> None:
        self._guard(self.workflow.refresh_timers)
        self._steps()

    # -- internals -------------------------------------------------------
    def _steps(self) -> None:
        self._guard(self.workflow.do_engine_steps)
        self._prune()

    def _prune(self) -> None:
        """Drop finished repetitions so a long-lived case does not grow without bound.

        Every message-started event sub-process and every loop iteration leaves
        a finished sub-workflow behind; SpiffWorkflow keeps them for ever, and
        each makes every later load, step and save slower. Their history is
        already in Boundary's task rows and audit record, so once a repetition
        and everything below it is finished, it is removed from the tree.
        """
        top = self.workflow
        _drop_orphans(top)
        for task in [t for t in top.get_tasks(state=TaskState.COMPLETED) if t.id in top.subprocesses]:
            parent = task.parent
            triggered = task.task_spec.name in getattr(task.workflow.spec.start, "trigger_specs", ())
            repeated = triggered or (parent is not None and type(parent.task_spec).__name__ == "StandardLoopTask")
            if not repeated or parent is None:
                continue
            below = list(_subtree(task))
            if any(not t.has_state(TaskState.FINISHED_MASK) for t in below):
                continue
            removed = top.delete_subprocess(task)
            unique = {t.id: t for t in [*below, *removed]}  # the subtree reaches into the sub-workflows too
            history = _completed(t for t in unique.values() if t.has_state(TaskState.COMPLETED))
            history.update(top.task_tree._get_internal_data(PRUNED_HISTORY) or {})
            top.task_tree._set_internal_data(**{PRUNED_HISTORY: dict(history)})  # the monitor page's marks
            parent._children.remove(task.id)
            for finished in below:
                finished.workflow.tasks.pop(finished.id, None)

    def _drop_unstarted_event_subprocesses(self) -> None:
        """Repair states saved while a worker's shared spec had been changed by a message.

        Before ``spec_integrity.settle``, a case started in a worker that had
        already delivered a message got every such event sub-process as a
        child of its start task, waiting for its message from the first day:
        it accepted the message at any stage and could never finish. Those
        that no message has reached yet are removed; one a message already
        started carries on like any other.
        """
        top = self.workflow
        triggers = set(getattr(top.spec.start, "trigger_specs", ()))
        if not triggers:
            return
        start = top.task_tree  # the start task is the root of a BPMN workflow's tree
        for task in [c for c in start.children if c.task_spec.name in triggers and not c.triggered]:
            sub = top.subprocesses.get(task.id)
            if sub is not None and any(t.task_spec.bpmn_id and t.has_state(TaskState.READY | TaskState.COMPLETED)
                                       for t in sub.tasks.values()):
                continue
            if sub is not None:
                top.delete_subprocess(task)
            start._children.remove(task.id)
            for dropped in list(_subtree(task)):
                dropped.workflow.tasks.pop(dropped.id, None)

    def _guard(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except SandboxError as error:
            raise ScriptFailed(str(error), over_budget=isinstance(error, BudgetExceeded)) from error
        except SpiffWorkflowException as error:
            budget = error  # Spiff raises its wrapper inside the handler: ours is in the context chain
            while budget is not None and not isinstance(budget, BudgetExceeded):
                budget = budget.__context__
            if isinstance(budget, BudgetExceeded):  # our own words, not the engine's
                raise ScriptFailed(_spiff_message(error, str(budget)), over_budget=True) from error
            cause = _cause(error)
            missing = cause.name if isinstance(cause, NameError) else None
            raise ScriptFailed(_spiff_message(error), missing=missing) from error

    def _find(self, task_id: str) -> Any:
        try:
            return self.workflow.get_task_from_id(UUID(task_id))
        except (ValueError, KeyError, TypeError):
            return None
        except SpiffWorkflowException:
            return None

    def _info(self, task: Any) -> ElementInfo:
        info = self.bundle.elements.get(task.task_spec.bpmn_id)
        return info or describe(task.task_spec, task.workflow.spec.name)


def _completed(tasks: Any) -> Counter[str]:
    return Counter(t.task_spec.bpmn_id for t in tasks if t.task_spec.bpmn_id)


def _drop_orphans(top: Any) -> None:
    """Forget sub-workflows whose calling task is gone.

    Cancelling a running call activity (an interrupting boundary event, a terminate
    end event) drops its task from the tree but leaves its sub-workflow, and any
    nested below it, registered; SpiffWorkflow then fails looking up their parents.
    """
    while True:
        known = set(top.tasks).union(*(sp.tasks for sp in top.subprocesses.values()))
        orphans = [sp_id for sp_id, sp in top.subprocesses.items() if sp.parent_task_id not in known]
        if not orphans:
            return
        for sp_id in orphans:
            del top.subprocesses[sp_id]


def _subtree(task: Any) -> Iterator[Any]:
    yield task
    for child in task.children:
        yield from _subtree(child)


def _timer_due(task: Any) -> datetime | None:
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):  # cycle timers keep {"cycles": n, "next": iso}
        value = value.get("next")
    if not value:
        return None
    try:
        due = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return due.replace(tzinfo=timezone.utc) if due.tzinfo is None else due.astimezone(timezone.utc)


def _spiff_message(error: SpiffWorkflowException, budget: str | None = None) -> str:
    """The engine's failure in words a supervisor can act on: which element, and what it lacked.

    SpiffWorkflow's own text can hold object reprs (it sometimes passes a task
    spec as the message), so only the parts Boundary understands are kept;
    ``budget`` is the sandbox's own sentence when the code ran over its budget.
    """
    task = getattr(error, "task", None)
    spec = task.task_spec if task is not None else getattr(error, "task_spec", None)
    texts = [text for text in (*error.args, spec) if isinstance(text, str)]  # Spiff swaps them at times
    if not hasattr(spec, "bpmn_id"):
        spec = None
    where = _element_words(spec)
    if budget:
        return f"{budget.rstrip('.')}, at {where}."
    cause = _cause(error)
    if isinstance(cause, NameError) and getattr(cause, "name", None):
        return f"The diagram's code at {where} reads \u2018{cause.name}\u2019, which this case has no value for."
    if cause is not None:
        return _without_reprs(f"The diagram's code at {where} failed: {cause}")
    detail = " ".join(_without_reprs(text).strip(" .") for text in texts).strip()
    return f"The engine could not run {where}" + (f": {detail}." if detail else ".")


def _cause(error: SpiffWorkflowException) -> BaseException | None:
    """The exception diagram code raised, if that is what stopped the engine."""
    cause = getattr(error, "exception", None) or error.__cause__ or error.__context__
    if isinstance(cause, SandboxError) and cause.__cause__ is not None:
        cause = cause.__cause__  # the sandbox wraps what the code raised
    return None if isinstance(cause, SpiffWorkflowException) else cause


def _element_words(spec: Any) -> str:
    if spec is None or not getattr(spec, "bpmn_id", None):
        return "an internal step of the diagram"
    name = (getattr(spec, "bpmn_name", None) or "").strip()
    return f"\u201c{name}\u201d ({spec.bpmn_id})" if name else spec.bpmn_id


_REPR = re.compile(r"<[^<>]*\bat 0x[0-9a-fA-F]+>")


def _without_reprs(text: str) -> str:
    return _REPR.sub("", text)[:500]
