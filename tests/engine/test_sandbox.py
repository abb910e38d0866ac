"""Diagram code cannot reach the OS, files, imports or interpreter internals.

Each attack must fail with a clean ``SandboxError`` (or be refused at compile
time) and must run nothing: the marker file the attack would create stays absent.
"""
from __future__ import annotations

import pytest

from service.engine.sandbox import RestrictedEnvironment, SandboxError, compile_snippet, is_serious


@pytest.fixture
def env():
    return RestrictedEnvironment()


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "the attack ran code outside the sandbox"


ATTACKS = {
    "dunder import": "__import__('os').system('touch {marker}')",
    "import statement": "import os\nos.system('touch {marker}')",
    "open a file": "open('{marker}', 'w').write('x')",
    "subclass walk": "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen'][0]('touch {marker}', shell=True)",
    "generator frame walk": "g = (x for x in [1])\nf = g.gi_frame.f_back.f_globals\nf['__builtins__']['__import__']('os').system('touch {marker}')",
    "str.format leak": "'{{0.__class__.__init__.__globals__}}'.format(is_serious)",
    "eval builtin": "eval(\"__import__('os').system('touch {marker}')\")",
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_script_attacks_fail_cleanly_and_run_nothing(env, marker, attack):
    with pytest.raises(SandboxError):
        env.execute(attack.format(marker=marker), {})


@pytest.mark.parametrize("attack", [
    "__import__('os').system('touch {marker}')",
    "().__class__.__base__.__subclasses__()",
    "open('{marker}', 'w')",
    "'{{0.__globals__}}'.format(is_serious)",
    "(x for x in [1]).gi_frame",
])
def test_condition_attacks_fail_cleanly(env, marker, attack):
    with pytest.raises(SandboxError):
        env.evaluate(attack.format(marker=marker), {})


def test_overwriting_an_exposed_function_does_not_reach_other_code(env):
    data = {"behaviour_types": ["verbal_abuse"]}
    env.execute("is_serious = lambda types: True\nflag = is_serious(behaviour_types)", data)
    assert data["flag"] is True  # inside the script the local name is rebound ...
    assert "is_serious" not in data  # ... but it is not kept in task data
    assert env.evaluate("is_serious(behaviour_types)", data) is False  # and later code sees the real one
    with pytest.raises(SandboxError):
        env.execute("is_serious.__code__ = None", data)
    with pytest.raises(SandboxError):
        env.execute("setattr(is_serious, 'attack', 1)", data)
    assert is_serious(["threats"]) is True and not hasattr(is_serious, "attack")


def test_task_data_named_like_an_exposed_function_is_refused(env):
    with pytest.raises(SandboxError, match="reserved"):
        env.execute("x = 1", {"is_serious": True})


def test_ordinary_conditions_and_scripts_work(env):
    data = {"decision": "approve", "items": [{"type": "a"}, {"type": "b"}], "count": 1}
    assert env.evaluate('decision == "approve" and len(items) == 2', data) is True
    env.execute("count += 1\ntypes = [i['type'] for i in items]\nfirst, second = types", data)
    assert data["count"] == 2 and data["types"] == ["a", "b"] and data["first"] == "a"


def test_scripts_work_on_a_copy_of_nested_data(env):
    shared = [1, 2]
    data = {"items": shared}
    env.execute("items.append(3)", data)
    assert shared == [1, 2] and data["items"] == [1, 2, 3]


def test_compiled_code_is_cached():
    compile_snippet.cache_clear()
    compile_snippet("a == 1", "eval")
    compile_snippet("a == 1", "eval")
    assert compile_snippet.cache_info().hits == 1


def test_script_errors_come_out_as_sandbox_errors_with_the_reason(env):
    with pytest.raises(SandboxError, match="ZeroDivisionError"):
        env.execute("x = 1 / 0", {})
    with pytest.raises(SandboxError, match="NameError"):
        env.evaluate("missing_variable > 1", {})
