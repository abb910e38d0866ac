"""Diagram code (conditions, scripts, timer and message expressions) under RestrictedPython.

People who edit diagrams write this code, so it must never reach the OS, files,
imports or the interpreter's internals. Every snippet is compiled with
``compile_restricted`` (which refuses imports, dunder names and ``exec``-like
tricks at compile time) and runs with RestrictedPython's guards and a small
allow-list of builtins. Compiled code is cached by source text.

Not covered: CPU time. ``while True: pass`` would hang the caller, so the
modeller's validation and the process owner role are the line of defence there.
"""
from __future__ import annotations

import ast
import copy
import functools
import operator
from types import CodeType, ModuleType

from RestrictedPython import compile_restricted, limited_builtins, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment


class SandboxError(Exception):
    """Diagram code was refused or failed; the message says which and why."""


SERIOUS_BEHAVIOURS = frozenset({"threats", "violence", "stalking", "harassment", "intimidation"})


def is_serious(behaviour_types) -> bool:
    """A case is serious when any of these behaviours was recorded (process spec)."""
    return bool(SERIOUS_BEHAVIOURS.intersection(behaviour_types or ()))


# Functions a diagram may call by name, beside the safe builtins.
SCRIPT_FUNCTIONS = {"is_serious": is_serious}

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("all", "any", "dict", "enumerate", "list", "max", "min", "sorted", "sum", "set", "zip", "map", "filter")
}

_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "|=": operator.ior, "&=": operator.iand,
}


def _inplacevar(op: str, target, value):
    try:
        return _INPLACE[op](target, value)
    except KeyError:
        raise SandboxError(f"The operator {op} is not allowed in diagram code.") from None


def _restricted_globals() -> dict:
    builtins = {**safe_builtins, **limited_builtins, **_EXTRA_BUILTINS}
    return {
        "__builtins__": builtins,
        "__name__": "diagram",
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
        **SCRIPT_FUNCTIONS,
    }


_RESERVED = frozenset(_restricted_globals())


# Names that would fail at run time anyway; refusing them up front gives the
# process owner a clear message at upload instead of a stalled case later.
FORBIDDEN_NAMES = frozenset({"open", "eval", "exec", "compile", "globals", "locals", "vars", "getattr",
                             "input", "breakpoint", "help", "memoryview", "exit", "quit", "type", "object"})


@functools.lru_cache(maxsize=4096)
def compile_snippet(source: str, mode: str) -> CodeType:
    """Compile diagram code under the restrictions, once per distinct text.

    ``mode`` is ``"eval"`` for expressions and ``"exec"`` for scripts. Raises
    ``SandboxError`` with the reasons: imports, forbidden builtins, and
    RestrictedPython's own refusals (which it reports as a ``SyntaxError``
    without a line number).
    """
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        raise SandboxError(f"Not valid Python: {error.msg} (line {error.lineno}).") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise SandboxError(f"Not allowed in diagram code: imports (line {node.lineno}).")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise SandboxError(f"Not allowed in diagram code: '{node.id}' (line {node.lineno}).")
    try:
        return compile_restricted(source, filename="<diagram>", mode=mode)
    except SyntaxError as error:
        reasons = error.msg if isinstance(error.msg, str) else "; ".join(error.msg)
        raise SandboxError(f"Not allowed in diagram code: {reasons}") from None


class RestrictedEnvironment(TaskDataEnvironment):
    """SpiffWorkflow's script environment, running everything under RestrictedPython."""

    def __init__(self):
        super().__init__(environment_globals={})

    def evaluate(self, expression, context, external_context=None):
        code = compile_snippet(expression.strip(), "eval")
        scope = _restricted_globals()
        scope.update(external_context or {})
        scope.update(context)
        return _run(lambda: eval(code, scope))

    def execute(self, script, context, external_context=None):
        overwrites = _RESERVED.intersection(context)
        if overwrites:
            raise SandboxError(f"Task data may not use the reserved names {sorted(overwrites)}.")
        code = compile_snippet(script, "exec")
        scope = _restricted_globals()
        scope.update(external_context or {})
        # Scripts work on a copy: nested task data is shared between tasks by reference.
        scope.update(copy.deepcopy(context))
        _run(lambda: exec(code, scope))
        for name in [k for k in context if k not in scope]:
            del context[name]
        for name, value in scope.items():
            if name in _RESERVED or name.startswith("_") or callable(value) or isinstance(value, ModuleType):
                continue
            context[name] = value
        return True


def _run(call):
    try:
        return call()
    except SandboxError:
        raise
    except Exception as error:  # any failure of diagram code is the diagram's, reported as such
        raise SandboxError(f"{type(error).__name__}: {error}") from error  # the cause tells callers what was missing


def make_script_engine() -> PythonScriptEngine:
    """The only script engine Boundary gives SpiffWorkflow: set after every load."""
    return PythonScriptEngine(environment=RestrictedEnvironment())
