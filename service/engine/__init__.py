"""The engine: the only package that imports SpiffWorkflow.

- ``loader``: parse and validate BPMN files into a ``ProcessBundle``;
- ``sandbox``: RestrictedPython for every condition and script;
- ``serializer``: case state as JSON with the spec stored by reference;
- ``runtime``: ``CaseRun``, one case's workflow behind a small interface;
- ``clock``: the single clock, patched into SpiffWorkflow's timers;
- ``migration``: moving a running case onto another deployed version;
- ``spec_integrity``: cached specs no run can change, and their fingerprint.
"""
from . import clock
from .loader import BpmnProblem, BundleInvalid, load_bundle
from .migration import MigrationCheck, MigrationRefused, check_migration, migrate_case
from .runtime import CaseRun, EngineError, NotWaitingForMessage, ReadyTask, ScriptFailed, TaskNotReady, Waiting
from .sandbox import SandboxError, compile_snippet
from .spec_integrity import fingerprint
from .specs import ElementInfo, ProcessBundle

__all__ = [
    "clock", "BpmnProblem", "BundleInvalid", "load_bundle", "CaseRun", "EngineError",
    "NotWaitingForMessage", "ReadyTask", "ScriptFailed", "TaskNotReady", "Waiting",
    "SandboxError", "compile_snippet", "ElementInfo", "ProcessBundle",
    "MigrationCheck", "MigrationRefused", "check_migration", "migrate_case", "fingerprint",
]
