"""Moving a running case onto another deployed version of its diagram.

SpiffWorkflow's ``bpmn.util.diff`` aligns the old version's task specs with the
new one's (by element id, then by shape) and ``migrate_workflow`` re-points the
case's tasks and re-predicts what lies ahead. Boundary adds the checks that make
a move safe, and refuses the case, changing nothing, when:

- the element the case is on now (a READY, WAITING or STARTED task, in the main
  process or a called one) is not in the new version;
- the case is inside a called process the new version no longer has;
- the moved case cannot be saved and read back against the new version (e.g. a
  step it already passed was deleted, so its history would point at nothing),
  or the diagram code it runs on the way fails.

A timer the case is already waiting on keeps its due date when its definition
did not change: a migration must not restart someone's monitoring period.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import DurationTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from .runtime import ACTIVE, CaseRun, EngineError, ScriptFailed
from .serializer import dump_state
from .specs import ProcessBundle

# Only used to compare task specs attribute by attribute (what ``SpecDiff`` needs).
_REGISTRY = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)


class MigrationRefused(EngineError):
    """The case cannot move; ``reasons`` say why in words a process owner can act on."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class MigrationCheck:
    """The outcome of a dry run for one case."""

    movable: bool
    current: list[str]  # element ids the case is on now
    reasons: list[str] = field(default_factory=list)  # why not, when not movable
    changed: list[str] = field(default_factory=list)  # current elements the new version changes


def check_migration(old: ProcessBundle, state: str, new: ProcessBundle) -> MigrationCheck:
    """Dry run: migrate in memory, save and read back, and report; nothing is kept."""
    workflow = CaseRun.load(old, state).workflow  # with the sandboxed script engine
    current = _current(workflow)
    try:
        _, changed = _migrate(workflow, new)
    except MigrationRefused as refused:
        return MigrationCheck(False, current, refused.reasons)
    return MigrationCheck(True, current, [], changed)


def migrate_case(old: ProcessBundle, state: str, new: ProcessBundle) -> CaseRun:
    """The case's workflow moved onto ``new``; raise ``MigrationRefused`` if it cannot move."""
    run, _ = _migrate(CaseRun.load(old, state).workflow, new)
    return run


def _migrate(workflow: Any, new: ProcessBundle) -> tuple[CaseRun, list[str]]:
    try:
        top_diff, sub_diffs = diff_workflow(_REGISTRY, workflow, new.spec, new.subprocess_specs)
    except (SpiffWorkflowException, KeyError, AttributeError, TypeError) as error:
        raise MigrationRefused([f"The two versions could not be compared: {error}"]) from None

    reasons = _removed_reasons(top_diff.removed)
    for sub_id, sub_diff in sub_diffs.items():
        sub = workflow.subprocesses[sub_id]
        if sub_diff is None:
            if sub.get_tasks(state=ACTIVE):
                reasons.append(f"It is inside the called process '{sub.spec.name}', which the new version "
                               "no longer has.")
            continue
        reasons.extend(_removed_reasons(sub_diff.removed))
    if reasons:
        raise MigrationRefused(sorted(set(reasons)))

    changed = sorted({task.task_spec.bpmn_id for diff in [top_diff, *sub_diffs.values()] if diff
                      for task in diff.changed if task.state & ACTIVE and task.task_spec.bpmn_id})
    timers = {task.id: (task.task_spec, copy.deepcopy(task.internal_data))
              for task in workflow.get_tasks(state=TaskState.WAITING)}
    try:
        migrate_workflow(top_diff, workflow, new.spec)
        for sub_id, sub_diff in sub_diffs.items():
            sub = workflow.subprocesses[sub_id]
            if sub_diff is not None:
                migrate_workflow(sub_diff, sub, new.subprocess_specs[sub.spec.name])
        workflow.subprocess_specs = dict(new.subprocess_specs)
        _keep_timer_due_dates(workflow, timers)
        # Read back from the saved form: proves the history resolves against the
        # new version and rebuilds the engine's event bookkeeping cleanly.
        run = CaseRun.load(new, dump_state(workflow))
        run._steps()  # anything automatic the new version puts right after the current step
        return run, changed
    except MigrationRefused:
        raise
    except ScriptFailed as error:
        raise MigrationRefused([f"The diagram code it would run next failed: {error}"]) from None
    except (SpiffWorkflowException, KeyError, AttributeError, TypeError, ValueError) as error:
        raise MigrationRefused([
            "Its history could not be carried over: a step it already passed may have been removed "
            f"from the new version ({type(error).__name__}: {error})."]) from None


def _removed_reasons(tasks: Any) -> list[str]:
    """Why removed elements block a move: the case is on one, or passed one
    (its history would then name an element the new version does not have)."""
    reasons = []
    for task in tasks:
        spec = task.task_spec
        if not spec.bpmn_id:
            continue
        title = f"{spec.bpmn_name} ({spec.bpmn_id})" if spec.bpmn_name else spec.bpmn_id
        if task.state & ACTIVE:
            reasons.append(f"Its current step {title} is not in the new version.")
        elif task.state & TaskState.FINISHED_MASK and task.state != TaskState.CANCELLED:
            reasons.append(f"It has already passed {title}, which the new version removes, so its history "
                           "would point at nothing.")
    return reasons


def _current(workflow: Any) -> list[str]:
    return sorted({t.task_spec.bpmn_id for t in workflow.get_tasks(state=ACTIVE) if t.task_spec.bpmn_id})


def _keep_timer_due_dates(workflow: Any, before: dict[str, Any]) -> None:
    """A reset waiting event recomputes its due date from now, which would restart
    the wait. Put the old due date back when the timer did not change; when only
    its duration changed, count the new duration from when the wait began."""
    for task in workflow.get_tasks(state=TaskState.WAITING):
        old_spec, internal = before.get(task.id, (None, {}))
        old_definition = getattr(old_spec, "event_definition", None)
        new_definition = getattr(task.task_spec, "event_definition", None)
        if old_definition is None or new_definition is None or "event_value" not in internal:
            continue
        if _REGISTRY.convert(old_definition) == _REGISTRY.convert(new_definition):
            task.internal_data["event_value"] = internal["event_value"]
            continue
        old_timer, new_timer = _duration_timer(old_definition), _duration_timer(new_definition)
        if old_timer is None or new_timer is None:
            continue  # another kind of change: the wait starts again from the move
        try:
            old_due = TimerEventDefinition.get_datetime(internal["event_value"])
            old_length = TimerEventDefinition.parse_iso_duration(
                workflow.script_engine.evaluate(task, old_timer.expression))
            began = old_due - TimerEventDefinition.get_timedelta_from_end(old_length, old_due)
            new_length = TimerEventDefinition.parse_iso_duration(
                workflow.script_engine.evaluate(task, new_timer.expression))
            task.internal_data["event_value"] = (
                began + TimerEventDefinition.get_timedelta_from_start(new_length, began)).isoformat()
        except Exception:
            continue


def _duration_timer(definition: Any) -> DurationTimerEventDefinition | None:
    """The one duration timer of an event (or of an event-based gateway's events)."""
    if isinstance(definition, DurationTimerEventDefinition):
        return definition
    if isinstance(definition, MultipleEventDefinition):
        timers = [d for d in definition.event_definitions if isinstance(d, TimerEventDefinition)]
        if len(timers) == 1 and isinstance(timers[0], DurationTimerEventDefinition):
            return timers[0]
    return None
