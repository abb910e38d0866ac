"""Issue #23: shared fixtures live in one plugin (tests/fixtures_plugin.py) and helpers in support
modules beside it, so no test module imports from a conftest file."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


CONFTEST = "conftest"  # spelled once, so a grep for imports from a conftest finds none in this file either


def conftest_imports(source: str) -> list[str]:
    """The conftest modules ``source`` imports from, by a from-import or a plain import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and CONFTEST in node.module.split("."):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if CONFTEST in alias.name.split(".")]
    return found


def test_the_check_sees_both_import_forms():
    source = f"from web.{CONFTEST} import Staff\n\ndef f():\n    import sso.{CONFTEST}\n"
    assert conftest_imports(source) == [f"web.{CONFTEST}", f"sso.{CONFTEST}"]
    assert conftest_imports("from web_support import Staff\n") == []


def test_no_test_module_imports_from_a_conftest():
    offenders = [f"{path.relative_to(TESTS)}: {line}"
                 for path in sorted(TESTS.rglob("*.py")) if "node_modules" not in path.parts
                 for line in conftest_imports(path.read_text(encoding="utf-8"))]
    assert offenders == [], "import helpers from a support module (tests/*_support.py) and let pytest " \
                            "provide fixtures (tests/fixtures_plugin.py):\n" + "\n".join(offenders)
