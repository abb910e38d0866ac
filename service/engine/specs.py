"""A deployed version's parsed specs and what the service reads from them.

Parsed once per deployed version and shared by every case on it; the service
reads task titles, lanes, documentation and Spiff extension properties (form
file, stage, letter, due period) from here without touching a case.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition


@dataclass(frozen=True)
class ElementInfo:
    """What the service needs to know about one diagram element."""

    element_id: str
    process_id: str
    kind: str
    title: str
    lane: str | None
    documentation: str
    properties: dict[str, str]
    human: bool
    called_process: str | None = None  # a call activity's target, for drilling into it on the diagram


def _properties(task_spec: Any) -> dict[str, str]:
    extensions = getattr(task_spec, "extensions", None) or {}
    return dict(extensions.get("properties", {}) or {})


def is_call_activity(task_spec: Any) -> bool:
    return isinstance(getattr(task_spec, "spec", None), str) and type(task_spec).__name__ == "CallActivity"


def describe(task_spec: Any, process_id: str) -> ElementInfo:
    return ElementInfo(
        element_id=task_spec.bpmn_id,
        process_id=process_id,
        kind=type(task_spec).__name__,
        title=(task_spec.bpmn_name or task_spec.bpmn_id or "").strip(),
        lane=task_spec.lane,
        documentation=(getattr(task_spec, "documentation", None) or "").strip(),
        properties=_properties(task_spec),
        human=bool(getattr(task_spec, "manual", False)),
        called_process=task_spec.spec if is_call_activity(task_spec) else None,
    )


def event_sources(task_spec: Any) -> list[tuple[object, str]]:
    """The event definitions a task waits on, each with the diagram element it belongs to.

    An event-based gateway holds its targets' definitions in one
    ``MultipleEventDefinition``; each timer is traced back to its catch event
    (Spiff names a timer after its element's name, or id when unnamed).
    """
    definition = getattr(task_spec, "event_definition", None)
    if definition is None:
        return []
    if not isinstance(definition, MultipleEventDefinition):
        return [(definition, task_spec.bpmn_id)]
    found = []
    for inner in definition.event_definitions:
        element = next((out.bpmn_id for out in task_spec.outputs
                        if getattr(inner, "name", None) in (out.bpmn_name, out.bpmn_id)), task_spec.bpmn_id)
        found.append((inner, element))
    return found


@dataclass
class ProcessBundle:
    """The specs of one deployed version: the main process and the processes it calls."""

    main_process: str
    spec: Any  # SpiffWorkflow publishes no types
    subprocess_specs: dict[str, Any]
    files: dict[str, bytes] = field(repr=False)
    # Spiff extension properties read from the XML for every element: Spiff's
    # parser keeps them only for tasks and events, and stage sits on gateways too.
    xml_properties: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def all_specs(self) -> dict[str, Any]:
        return {self.main_process: self.spec, **self.subprocess_specs}

    @cached_property
    def elements(self) -> dict[str, ElementInfo]:
        """Every element with a diagram id, by id (ids are unique across a bundle's files)."""
        found = {}
        for process_id, spec in self.all_specs().items():
            for task_spec in spec.task_specs.values():
                if task_spec.bpmn_id:
                    info = describe(task_spec, process_id)
                    extra = self.xml_properties.get(task_spec.bpmn_id)
                    if extra:
                        info = replace(info, properties={**extra, **info.properties})
                    found[task_spec.bpmn_id] = info
        return found

    def human_tasks(self) -> list[ElementInfo]:
        return [info for info in self.elements.values() if info.human]

    @cached_property
    def start_event(self) -> ElementInfo | None:
        """The main process's start event, which carries the start form."""
        for task_spec in self.spec.task_specs.values():
            if type(task_spec).__name__ == "StartEvent" and task_spec.bpmn_id:
                definition = getattr(task_spec, "event_definition", None)
                if definition is None or type(definition).__name__ == "NoneEventDefinition":
                    return self.elements[task_spec.bpmn_id]
        return None

    @cached_property
    def message_names(self) -> frozenset[str]:
        """Every message the bundle's processes can catch."""
        names = set()
        for spec in self.all_specs().values():
            for task_spec in spec.task_specs.values():
                for definition, _ in event_sources(task_spec):
                    if isinstance(definition, MessageEventDefinition):
                        names.add(definition.name)
        return frozenset(names)

    @cached_property
    def message_variables(self) -> dict[str, str]:
        """The case-data name each message's payload is stored under, to the message's name
        (``contact`` -> ``contact_received``): how the pages find the form that words a payload."""
        found = {}
        for spec in self.all_specs().values():
            for task_spec in spec.task_specs.values():
                for definition, _ in event_sources(task_spec):
                    variable = getattr(definition, "message_var", None)
                    if isinstance(definition, MessageEventDefinition) and variable:
                        found[variable] = definition.name
        return found
