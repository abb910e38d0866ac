"""Cached specs that running a case can never change, and a fingerprint to prove it.

A deployed version's specs are parsed once per process and shared by every
case on it (``ProcessBundle``); a case's stored state refers to them by name.
SpiffWorkflow, though, finishes wiring some specs lazily, the first time a case
in *this process* needs them, because upstream every workflow carries its own
copy of its spec:

- ``BpmnStartTask.trigger_wf`` connects an event sub-process (one started by a
  message, e.g. ``contact_received``) to the process's start and end the first
  time a message starts it. With a shared spec that made behaviour depend on
  what a worker process had done before: a case whose event sub-process was
  started in another worker failed when it finished ("No input task
  connected"), and every case *started* after the first message in a worker
  grew an event sub-process already waiting for that message at its start,
  so it accepted the message at any stage and could never finish.
- ``LoopTask.create_child`` connects the loop's ``merge_child`` to the looped
  task's completion the first time a loop runs in the process; a loop child
  created in one worker and finished in another was never merged back.

``settle`` does that wiring once, when the bundle is built, in the form the
engine checks for, so those calls find it done and never write. The
connection from the start task to event sub-processes is the one piece left
out on purpose: the start task would otherwise predict and run every event
sub-process when a case starts. ``fingerprint`` lets a guard (on in every
test, see ``domain.core.context.BundleCache``) prove that nothing else writes.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask

from .serializer import specs_as_dicts
from .specs import ProcessBundle


def settle(bundle: ProcessBundle) -> None:
    """Finish the wiring SpiffWorkflow would otherwise do lazily while cases run."""
    for spec in bundle.all_specs().values():
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, LoopTask):
                looped = spec.task_specs.get(task_spec.task_spec)
                if looped is not None and not looped.completed_event.is_connected(task_spec.merge_child):
                    looped.completed_event.connect(task_spec.merge_child)
    _settle_event_subprocesses(bundle.spec)


def _settle_event_subprocesses(spec: Any) -> None:
    """Give each message-started event sub-process the inputs and output ``trigger_wf`` would add.

    ``trigger_wf`` connects only when the start task is not yet among the
    sub-process's inputs; naming it there (without adding the sub-process to
    the start task's outputs) is enough for it to leave the spec alone, and
    for the sub-process task's own readiness check to pass in any process.
    """
    start, end = spec.start, spec.end
    for name in getattr(start, "trigger_specs", ()):
        task_spec = spec.task_specs.get(name)
        if task_spec is None:
            continue
        if start.name not in task_spec._inputs:
            task_spec._inputs.append(start.name)
        if end.name not in task_spec._outputs:
            task_spec._outputs.append(end.name)
        if name not in end._inputs:
            end._inputs.append(name)


def fingerprint(bundle: ProcessBundle, deep: bool = False) -> str:
    """A digest of everything about the specs a run could change.

    The quick form (about 0.3 ms for the shipped process, compared only within
    one process) covers the wiring:
    each task spec's inputs, outputs, event subscribers and triggers, which is
    what SpiffWorkflow writes while cases run. ``deep`` adds every attribute
    its own serializer writes (a few milliseconds).
    """
    wiring = tuple(
        (name, task_name, tuple(task_spec._inputs), tuple(task_spec._outputs), _subscribers(task_spec),
         tuple(getattr(task_spec, "trigger_specs", ())))
        for name, spec in bundle.all_specs().items() for task_name, task_spec in spec.task_specs.items())
    if not deep:
        return f"{hash(wiring):x}"  # compared only within this process
    text = json.dumps([repr(wiring), specs_as_dicts(bundle.all_specs())], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_EVENTS = ("update_event", "ready_event", "completed_event", "error_event", "cancelled_event", "run_event")


def _subscribers(task_spec: Any) -> tuple[tuple[object, ...], ...]:
    """Who listens to each of the task spec's events (Spiff connects ``merge_child`` lazily)."""
    found: list[tuple[object, ...]] = []
    for attribute in _EVENTS:
        event = task_spec.__dict__.get(attribute)
        hard = event.hard_subscribers if event is not None else None
        weak = event.weak_subscribers if event is not None else None
        if hard:
            found.extend((attribute, getattr(callback, "__qualname__", "?"),
                          getattr(getattr(callback, "__self__", None), "name", "")) for callback, *_ in hard)
        if weak:
            found.append((attribute, len(weak)))
    return tuple(found)
