"""The layering newcomers rely on (docs/architecture.md): every rule there is an import-linter
contract in pyproject.toml, which `make lint` runs too; and modules stay small."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).parent.parent
SERVICE = CHECKOUT / "service"


def test_the_import_rules_hold():
    """Only the engine imports SpiffWorkflow; pages and the API sit on the domain, which never imports
    Flask; no import cycles; bench/ and tools/ never import the pages or the API (pyproject.toml)."""
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(linter), "--no-cache"], cwd=CHECKOUT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(SERVICE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SERVICE)))
def test_only_the_engine_imports_spiffworkflow(path):
    if "engine" in path.relative_to(SERVICE).parts:
        return
    assert not any(name.startswith("SpiffWorkflow") for name in imports_of(path))


@pytest.mark.parametrize("path", sorted((SERVICE / "domain").rglob("*.py")), ids=lambda p: p.name)
def test_the_domain_never_imports_flask(path):
    assert not any(name.split(".")[0].startswith("flask") for name in imports_of(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SERVICE)))
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) <= 400, "split this module: it does more than one thing"
