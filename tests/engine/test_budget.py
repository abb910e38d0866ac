"""Diagram code that spins or grows stops within its budget with a clear error (issue #19, item 2).

Each attack used to hold the caller for ever (or until the machine ran out of
memory); now it must fail as ``BudgetExceeded`` within a couple of seconds,
while ordinary diagram code runs as before.
"""
from __future__ import annotations

import time

import pytest

from service.engine.sandbox import BudgetExceeded, Limits, RestrictedEnvironment, SandboxError, set_limits


@pytest.fixture
def env():
    set_limits(Limits(seconds=1.0, steps=10**9))  # the deadline, not the step count, stops the spinners
    yield RestrictedEnvironment()
    set_limits(Limits())


SPINNING = {
    "while loop": "while True: pass",
    "loop that swallows every error": "while True:\n    try:\n        x = 1\n    except:\n        pass",
    "exponential recursion": "def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nx = f(60)",
    "nested comprehension": "x = len([a for a in range(999) for b in range(999) for c in range(999)])",
    "generator that never ends": "def g():\n    while True:\n        yield 1\nx = max(g())",
}

GROWING = {
    "huge power": "x = 10**10**10 == 1",
    "pow builtin": "x = pow(10, 10**10)",
    "huge shift": "x = 1 << 10**10",
    "string repetition": "x = 'a' * 10**10",
    "list repetition": "x = [0] * 10**10",
    "doubling a string": "s = 'ab'\nwhile True:\n    s = s + s",
    "doubling in place": "s = ['ab']\nwhile True:\n    s += s",
    "extend with itself": "s = [1]\nfor i in range(60):\n    s.extend(s)",
    "padding": "x = 'x'.ljust(10**10)",
    "replace every gap": "s = 'x' * 100000\nx = s.replace('', s)",
    "f-string width": "x = f'{1:>10000000000}'",
    "summing lists": "x = sum([[0] * 100000] * 10000, [])",
    "copying in a loop": "k = []\nwhile True:\n    k.append(list(range(999)))",
}


@pytest.mark.parametrize("script", SPINNING.values(), ids=SPINNING.keys())
def test_spinning_code_stops_at_the_deadline(env, script):
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="went over its budget"):
        env.execute(script, {})
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("script", GROWING.values(), ids=GROWING.keys())
def test_code_that_would_make_a_huge_value_is_refused_before_making_it(env, script):
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="went over its budget"):
        env.execute(script, {})
    assert time.monotonic() - started < 3


def test_a_condition_over_budget_is_refused_the_same_way(env):
    with pytest.raises(BudgetExceeded, match="power"):
        env.evaluate("10**10**10 == 1", {})


def test_the_step_limit_stops_a_loop_before_the_deadline():
    set_limits(Limits(seconds=60, steps=10_000))
    try:
        started = time.monotonic()
        with pytest.raises(BudgetExceeded, match="10,000 loop steps"):
            RestrictedEnvironment().execute("while True: pass", {})
        assert time.monotonic() - started < 1
    finally:
        set_limits(Limits())


def test_ordinary_code_keeps_working_under_the_budget(env):
    data = {"decision": "approve", "behaviour_types": ["threats"], "items": [1, 2, 3]}
    assert env.evaluate('decision == "approve" and is_serious(behaviour_types)', data) is True
    env.execute("total = sum(items)\nlabel = f'{total:>4}' + ' done'\nsquares = [i ** 2 for i in items]\n"
                "big = 2 ** 64\nrows = ', '.join(str(i) for i in items) * 2\nn = 0\nwhile n < 1000:\n    n += 1", data)
    assert data["total"] == 6 and data["label"] == "   6 done" and data["squares"] == [1, 4, 9]
    assert data["big"] == 18446744073709551616 and data["rows"] == "1, 2, 31, 2, 3" and data["n"] == 1000


def test_the_counted_builtins_still_behave_as_types(env):
    data = {"items": [1, "a"], "names": {"x": 1}}
    env.execute("kinds = [isinstance(i, str) for i in items]\nkeys = sorted(dict.fromkeys(['b', 'a']))\n"
                "is_map = isinstance(names, dict) and issubclass(bool, int)\nwords = str(12) + list('ab')[0]", data)
    assert data["kinds"] == [False, True] and data["keys"] == ["a", "b"] and data["is_map"] is True
    assert data["words"] == "12a"


@pytest.mark.parametrize("script", [
    "x = str.format('{0.__class__}', 1)", "x = str.ljust('x', 10**9)", "x = list.extend([], [1])",
    "x = str.__subclasses__()", "l = [1]\nfor i in range(40):\n    list.base.extend(l, l)",
    "l = [1]\nfor i in range(40):\n    list._base.extend(l, l)"])
def test_the_types_do_not_open_a_way_around_the_guards(env, script):
    with pytest.raises(SandboxError):
        env.execute(script, {})
