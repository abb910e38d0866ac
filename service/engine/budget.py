"""A budget for every run of diagram code: steps, sizes, memory and a wall-clock deadline.

RestrictedPython stops diagram code reaching the OS but not from spinning
(``while True: pass``) or allocating (``10**10**10``, ``"x" * 10**10``); either
would hold a web worker until gunicorn kills it and wedge the timer worker.
Instead of tracing every line (``sys.settrace`` makes all code several times
slower) the compiled code itself counts: ``BudgetTransformer`` adds a
``_tick_()`` at the top of every ``while`` body and every function, every
``for`` and comprehension already goes through ``_getiter_``, and the operators
that can make a huge value (``*``, ``**``, ``<<``, ``+``, ``%``, f-string
widths) go through ``Meter.binop``, which refuses the result before it is made.
Each tick checks the step count and the deadline; every 256th also the
process's peak memory. Over budget, the code stops with ``OverBudget``, which
is a ``BaseException`` so that a diagram's ``except:`` cannot swallow it, and
the meter stays spent so that every later tick raises again.
"""
from __future__ import annotations

import ast
import operator
import re
import resource
import time
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar, cast

from RestrictedPython import RestrictingNodeTransformer
from RestrictedPython.Guards import safer_getattr


@dataclass(frozen=True)
class Limits:
    """What one evaluation of diagram code may use (settings ``BOUNDARY_SCRIPT_*``)."""

    seconds: float = 2.0  # wall clock for one condition, script or timer expression
    steps: int = 1_000_000  # loop iterations and function calls
    size: int = 100_000  # longest string or sequence, and largest int in bits, one operator may make
    made: int = 5_000_000  # total length of what the checked operators and copies make in one run
    memory_mb: int = 256  # growth of the process's peak memory during one run


class OverBudget(BaseException):
    """Diagram code used more than its budget (a BaseException: ``except Exception`` in it cannot catch it)."""


_SEQUENCES = (str, bytes, bytearray, list, tuple)
_OPS = {"*": operator.mul, "**": operator.pow, "<<": operator.lshift, "+": operator.add, "%": operator.mod}
_Node = TypeVar("_Node", bound=ast.AST)
_INPLACE = {"-=": operator.isub, "/=": operator.itruediv, "//=": operator.ifloordiv, "|=": operator.ior,
            "&=": operator.iand}
_DIGITS = re.compile(r"\d+")
WIDENING = frozenset({"join", "replace", "expandtabs", "ljust", "rjust", "center", "zfill", "extend"})


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


class Meter:
    """One evaluation's budget: created per run, so threads never share one."""

    __slots__ = ("limits", "steps", "deadline", "made", "peak", "spent")

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.made = 0
        self.deadline = time.monotonic() + limits.seconds
        self.peak = 0  # read at the first memory check: most code never loops that far
        self.spent: str | None = None

    def stop(self, reason: str) -> NoReturn:
        self.spent = self.spent or reason
        raise OverBudget(self.spent)

    def tick(self) -> None:
        self.steps += 1
        if self.spent is not None:
            raise OverBudget(self.spent)
        if self.steps > self.limits.steps:
            self.stop(f"it ran more than {self.limits.steps:,} loop steps or calls")
        if time.monotonic() > self.deadline:
            self.stop(f"it ran for more than {self.limits.seconds:g} seconds")
        if not self.steps & 255:
            self.peak = self.peak or _peak_kib()
            if _peak_kib() - self.peak > self.limits.memory_mb * 1024:
                self.stop(f"it used more than {self.limits.memory_mb} MB of memory")

    def iterate(self, iterable: Any) -> Any:
        """``_getiter_``: every item a loop or comprehension takes is a step."""
        for item in iterable:
            self.tick()
            yield item

    def count(self, value: Any) -> Any:
        """Record a new value's length against the run's total; returns the value."""
        if isinstance(value, _SEQUENCES + (dict, set, frozenset)):
            self.made += len(value)
            if self.made > self.limits.made:
                self.stop(f"it made more than {self.limits.made:,} items or characters in all")
        return value

    def binop(self, op: str, left: Any, right: Any) -> Any:
        """``left op right`` for the operators that can make a huge value, refused before it is made."""
        size = self.limits.size
        if op == "**" and _int(left) and _int(right) and right > 0 and abs(left) > 1:
            if left.bit_length() * right > size:
                self.stop(f"a power (**) would be larger than {size:,} bits")
        elif op == "<<" and _int(left) and _int(right) and left and left.bit_length() + right > size:
            self.stop(f"a shift (<<) would be larger than {size:,} bits")
        elif op == "*":
            if _int(left) and _int(right):
                if left.bit_length() + right.bit_length() > size:
                    self.stop(f"a product (*) would be larger than {size:,} bits")
            elif isinstance(left, _SEQUENCES) and _int(right) or isinstance(right, _SEQUENCES) and _int(left):
                seq, times = (left, right) if isinstance(left, _SEQUENCES) else (right, left)
                if len(seq) * times > size:
                    self.stop(f"a repetition (*) would be longer than {size:,}")
        elif op == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            if len(left) + len(right) > size:
                self.stop(f"joining (+) would be longer than {size:,}")
        elif op == "%" and isinstance(left, (str, bytes)):
            raise TypeError("% formatting is not available in diagram code: use an f-string")
        return self.count(_OPS[op](left, right))

    def inplace(self, op: str, target: Any, value: Any) -> Any:
        """``_inplacevar_`` (``n += 1``): the growing operators are checked like their plain forms."""
        if op in ("+=", "*=", "%="):
            return self.binop(op[0], target, value)
        if op not in _INPLACE:
            raise TypeError(f"the operator {op} is not available in diagram code")
        return _INPLACE[op](target, value)  # type: ignore[no-untyped-call]  # operator's in-place functions

    def format(self, value: Any, spec: str) -> Any:
        """An f-string field with a format spec: the width or precision may not exceed the size limit."""
        if any(int(digits) > self.limits.size for digits in _DIGITS.findall(spec)):
            self.stop(f"a format width would be larger than {self.limits.size:,}")
        return self.count(format(value, spec))

    def power(self, base: Any, exponent: Any, modulus: Any = None) -> Any:
        """The ``pow`` builtin, with ``**``'s check unless a modulus keeps it small."""
        if modulus is not None:
            return pow(base, exponent, modulus)
        return self.binop("**", base, exponent)

    def getitem(self, container: Any, key: Any) -> Any:
        """``_getitem_``: a slice is a copy, counted against the run's total."""
        value = container[key]
        return self.count(value) if isinstance(key, slice) else value

    def getattr(self, obj: Any, name: Any, default: Any = None) -> Any:
        """``_getattr_``: RestrictedPython's, with the methods that can widen a value checked first."""
        value = safer_getattr(obj, name, default)  # type: ignore[no-untyped-call]  # RestrictedPython leaves it untyped
        if isinstance(obj, (str, bytes)) and name in WIDENING:
            return lambda *args, **kwargs: self._widen(obj, name, value, args, kwargs)
        if isinstance(obj, (list, bytearray)) and name == "extend":
            return lambda items: value(self._extend(obj, items))
        return value

    def _widen(self, text: Any, name: Any, method: Any, args: Any, kwargs: Any) -> Any:
        size = self.limits.size
        if name == "join":
            items = list(self.iterate(args[0] if args else kwargs.get("iterable", ())))
            longest = sum(len(i) for i in items if isinstance(i, (str, bytes))) + len(text) * len(items)
            args, kwargs = (items,), {}
        elif name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            longest = len(text) + (text.count(old) if old else len(text) + 1) * len(new)
        elif name == "expandtabs":
            tab = args[0] if args else kwargs.get("tabsize", 8)
            longest = len(text) + text.count("\t" if isinstance(text, str) else b"\t") * max(tab, 0)
        else:  # ljust, rjust, center, zfill: the first argument is the width
            longest = args[0] if args and _int(args[0]) else kwargs.get("width", 0)
        if longest > size:
            self.stop(f"{name}() would make a text longer than {size:,}")
        return self.count(method(*args, **kwargs))

    def _extend(self, target: Any, items: Any) -> Any:
        if not isinstance(items, _SEQUENCES + (dict, set, frozenset)):
            items = list(self.iterate(items))
        if len(target) + len(items) > self.limits.size:
            self.stop(f"extend() would make a list longer than {self.limits.size:,}")
        return self.count(items)

    def sum(self, iterable: Any, start: Any = 0) -> Any:
        """``sum`` one checked ``+`` at a time, so summing lists cannot build a huge one unseen."""
        total = start
        for item in self.iterate(iterable):
            total = self.binop("+", total, item)
        return total


def _int(value: Any) -> bool:
    return isinstance(value, int)


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])


def _placed(new: _Node, old: ast.AST) -> _Node:
    """Give generated code the line of the code it replaces (compile needs a line on every node)."""
    return ast.fix_missing_locations(ast.copy_location(new, old))


_CHECKED = {ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<", ast.Add: "+", ast.Mod: "%"}


class BudgetTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy plus the hooks a ``Meter`` needs (see the module docstring)."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = cast(ast.BinOp, super().visit_BinOp(node))
        op = _CHECKED.get(type(node.op))
        if op is None:
            return node
        return _placed(_call("_binop_", ast.Constant(op), node.left, node.right), node)

    def visit_While(self, node: ast.While) -> ast.AST:
        node = cast(ast.While, super().visit_While(node))
        node.body.insert(0, _placed(ast.Expr(_call("_tick_")), node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node = cast(ast.FunctionDef, super().visit_FunctionDef(node))
        node.body.insert(0, _placed(ast.Expr(_call("_tick_")), node))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        node = cast(ast.Lambda, super().visit_Lambda(node))
        node.body = _placed(ast.BoolOp(ast.Or(), [_call("_tick_"), node.body]), node.body)
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        node = cast(ast.FormattedValue, super().visit_FormattedValue(node))
        if node.format_spec is None:
            return node
        value = node.value
        if node.conversion != -1:  # !s, !r, !a happen before the spec is applied
            value = _call({115: "str", 114: "repr", 97: "ascii"}[node.conversion], value)  # all in the builtins
        checked = _call("_format_", value, node.format_spec)
        return _placed(ast.FormattedValue(value=checked, conversion=-1, format_spec=None), node)
