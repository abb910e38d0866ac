"""Diagram code (conditions, scripts, timer and message expressions) under RestrictedPython.

People who edit diagrams write this code, so it must never reach the OS, files,
imports or the interpreter's internals. Every snippet is compiled with
``compile_restricted`` (which refuses imports, dunder names and ``exec``-like
tricks at compile time) and runs with RestrictedPython's guards and a small
allow-list of builtins. Compiled code is cached by source text.

Every run also has a budget (``budget.Meter``: steps, sizes, memory, a
deadline), so ``while True: pass`` or ``10**10**10`` fails in a couple of
seconds as ``BudgetExceeded``, naming the element, instead of holding a worker.
"""
from __future__ import annotations

import ast
import copy
import functools
import threading
from collections.abc import Callable, Iterable
from types import CodeType, ModuleType
from typing import Any, Literal, TypeVar

from RestrictedPython import compile_restricted, limited_builtins, safe_builtins
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr_raise,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .budget import WIDENING, BudgetTransformer, Limits, Meter, OverBudget


class SandboxError(Exception):
    """Diagram code was refused or failed; the message says which and why."""


class BudgetExceeded(SandboxError):
    """Diagram code ran over its budget of time, steps or memory."""


_limits = [Limits()]


def set_limits(limits: Limits) -> None:
    """The budget every later run of diagram code gets (from the ``BOUNDARY_SCRIPT_*`` settings)."""
    _limits[0] = limits


SERIOUS_BEHAVIOURS = frozenset({"threats", "violence", "stalking", "harassment", "intimidation"})


def is_serious(behaviour_types: Iterable[str] | None) -> bool:
    """A case is serious when any of these behaviours was recorded (process spec)."""
    return bool(SERIOUS_BEHAVIOURS.intersection(behaviour_types or ()))


# Functions a diagram may call by name, beside the safe builtins.
SCRIPT_FUNCTIONS = {"is_serious": is_serious}

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("all", "any", "ascii", "dict", "enumerate", "list", "max", "min", "sorted", "set", "zip", "map",
                 "filter")
}
# Builtins that copy what they are given: each result counts against the run's total size.
_COPYING = ("list", "tuple", "sorted", "set", "dict", "str", "repr", "ascii")

# Builtins that need the run's meter find it here (one per thread), so the builtins
# themselves are built once rather than for every evaluation.
_running = threading.local()
T = TypeVar("T")


def _metered(name: str) -> Callable[..., Any]:
    return lambda *args, **kwargs: getattr(_running.meter, name)(*args, **kwargs)


def _counted(make: Callable[..., Any]) -> Callable[..., Any]:
    return lambda *args, **kwargs: _running.meter.count(make(*args, **kwargs))


class _CountedType(type):
    """A builtin type (``list``, ``str``, ...) whose calls are counted but which still works
    with ``isinstance`` and for its class methods (``dict.fromkeys``)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return _running.meter.count(cls._base(*args, **kwargs))

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls._base)

    def __subclasscheck__(cls, subclass: Any) -> bool:
        return issubclass(subclass, cls._base)

    def __getattr__(cls, name: str) -> Any:
        if name in WIDENING:  # widening methods only on a value, where they are checked
            raise AttributeError(f"{cls._base.__name__}.{name} is not available in diagram code: call it on a value")
        return safer_getattr_raise(cls._base, name)  # type: ignore[no-untyped-call]  # RestrictedPython's refusals (str.format, dunders) apply


def _counted_type(base: type) -> type:
    return _CountedType(base.__name__, (), {"_base": base})  # "_": out of diagram code's reach


_BUILTINS = {**safe_builtins, **limited_builtins, **_EXTRA_BUILTINS}
_BUILTINS.update({name: _counted_type(_BUILTINS[name]) if isinstance(_BUILTINS[name], type)
                  else _counted(_BUILTINS[name]) for name in _COPYING}, pow=_metered("power"), sum=_metered("sum"))


# Every name diagram code may use without the case data setting it (the deploy checks skip them).
PROVIDED_NAMES = frozenset(_BUILTINS) | frozenset(SCRIPT_FUNCTIONS)


def _restricted_globals(meter: Meter) -> dict[str, Any]:
    return {
        "__builtins__": dict(_BUILTINS),  # a fresh copy: nothing one run does can reach the next
        "__name__": "diagram",
        "_getattr_": meter.getattr,
        "_getitem_": meter.getitem,
        "_getiter_": meter.iterate,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": meter.inplace,
        "_tick_": meter.tick,
        "_binop_": meter.binop,
        "_format_": meter.format,
        **SCRIPT_FUNCTIONS,
    }


_RESERVED = frozenset(_restricted_globals(Meter(Limits())))


# Names that would fail at run time anyway; refusing them up front gives the
# process owner a clear message at upload instead of a stalled case later.
FORBIDDEN_NAMES = frozenset({"open", "eval", "exec", "compile", "globals", "locals", "vars", "getattr",
                             "input", "breakpoint", "help", "memoryview", "exit", "quit", "type", "object"})


@functools.lru_cache(maxsize=4096)
def compile_snippet(source: str, mode: Literal["exec", "eval"]) -> CodeType:
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
        return compile_restricted(source, filename="<diagram>", mode=mode, policy=BudgetTransformer)
    except SyntaxError as error:
        reasons = error.msg if isinstance(error.msg, str) else "; ".join(error.msg)
        raise SandboxError(f"Not allowed in diagram code: {reasons}") from None


class RestrictedEnvironment(TaskDataEnvironment):  # type: ignore[misc]  # SpiffWorkflow is untyped
    """SpiffWorkflow's script environment, running everything under RestrictedPython."""

    def __init__(self) -> None:
        super().__init__(environment_globals={})

    def evaluate(self, expression: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> Any:
        code = compile_snippet(expression.strip(), "eval")
        meter = Meter(_limits[0])
        scope = _restricted_globals(meter)
        scope.update(external_context or {})
        scope.update(context)
        return _run(meter, lambda: eval(code, scope))

    def execute(self, script: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> bool:
        overwrites = _RESERVED.intersection(context)
        if overwrites:
            raise SandboxError(f"Task data may not use the reserved names {sorted(overwrites)}.")
        code = compile_snippet(script, "exec")
        meter = Meter(_limits[0])
        scope = _restricted_globals(meter)
        scope.update(external_context or {})
        # Scripts work on a copy: nested task data is shared between tasks by reference.
        scope.update(copy.deepcopy(context))
        _run(meter, lambda: exec(code, scope))
        for name in [k for k in context if k not in scope]:
            del context[name]
        for name, value in scope.items():
            if name in _RESERVED or name.startswith("_") or callable(value) or isinstance(value, ModuleType):
                continue
            context[name] = value
        return True


def _run(meter: Meter, call: Callable[[], T]) -> T:
    outer, _running.meter = getattr(_running, "meter", None), meter
    try:
        result = call()
    except SandboxError:
        raise
    except OverBudget:
        pass  # reported below, from the meter
    except RecursionError:
        raise SandboxError("The diagram code calls itself too deeply.") from None
    except MemoryError:
        raise BudgetExceeded("The diagram code ran out of memory.") from None
    except Exception as error:  # any failure of diagram code is the diagram's, reported as such
        raise SandboxError(f"{type(error).__name__}: {error}") from error  # the cause tells callers what was missing
    finally:
        _running.meter = outer
    if meter.spent is not None:  # also when the code caught OverBudget itself and went on
        raise BudgetExceeded(f"The diagram code went over its budget ({meter.spent})")
    return result


def make_script_engine() -> PythonScriptEngine:
    """The only script engine Boundary gives SpiffWorkflow: set after every load."""
    return PythonScriptEngine(environment=RestrictedEnvironment())
