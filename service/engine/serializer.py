"""Case engine state as JSON, with the spec stored by reference.

SpiffWorkflow's serializer embeds the whole spec in every dump. Boundary keeps
the spec once per deployed version (``ProcessBundle``), so a case's stored
state holds only its own tasks and data and grows with its own history. The
serializer's version travels with each dump so older dumps can be migrated.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from .specs import ProcessBundle


class _SpecByReferenceConverter(BpmnWorkflowConverter):  # type: ignore[misc]  # SpiffWorkflow is untyped
    """Writes a workflow without its specs; reads one with specs handed in."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    # from_dict is inherited: ``restore`` passes the spec objects put in the dict through unchanged.


def _registry() -> Any:
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _SpecByReferenceConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(Decimal, lambda value: {"value": str(value)}, lambda dct: Decimal(dct["value"]))
    return registry


_SERIALIZER = BpmnWorkflowSerializer(_registry())
STATE_FORMAT = f"boundary-1/spiff-{_SERIALIZER.VERSION}"


def dump_state(workflow: BpmnWorkflow) -> str:
    dct = _SERIALIZER.to_dict(workflow)
    dct[_SERIALIZER.VERSION_KEY] = _SERIALIZER.VERSION
    return json.dumps(dct, separators=(",", ":"))


def load_state(bundle: ProcessBundle, state: str) -> BpmnWorkflow:
    dct = json.loads(state)
    _SERIALIZER.migrate(dct)
    dct["spec"] = bundle.spec
    dct["subprocess_specs"] = dict(bundle.subprocess_specs)
    return _SERIALIZER.from_dict(dct)


def specs_as_dicts(specs: dict[str, Any]) -> dict[str, Any]:
    """Specs as SpiffWorkflow's own serializer writes them: every attribute a run could change."""
    return {name: _SERIALIZER.registry.convert(spec) for name, spec in specs.items()}
