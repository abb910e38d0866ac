"""One permissions table: every role check reads domain/permissions.py, none writes a role key itself."""
from __future__ import annotations

import ast
from pathlib import Path

from service.domain.people.permissions import ABILITIES, Ability, can
from service.domain.people.roles import ROLES

SERVICE = Path(__file__).parent.parent / "service"
# The two modules that may name roles: the roles themselves, and who may do what (wherever in domain/ they live).
ALLOWED = {"roles.py", "permissions.py"}


def role_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [f"{path.relative_to(SERVICE)}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ROLES]


def test_no_module_but_the_table_names_a_role():
    found = [hit for path in sorted(SERVICE.rglob("*.py"))
             if not (path.name in ALLOWED and "domain" in path.relative_to(SERVICE).parts) for hit in role_literals(path)]
    assert not found, "read domain.permissions (or domain.roles) instead of naming a role:\n" + "\n".join(found)


def test_every_ability_has_roles_that_exist():
    assert set(ABILITIES) == set(Ability)
    for ability, roles in ABILITIES.items():
        assert roles and set(roles) <= set(ROLES), ability


class _Person:
    def __init__(self, *roles: str):
        self.roles = frozenset(roles)


def test_the_table_answers_as_the_checks_did():
    assert can(_Person("supervisor"), Ability.SEE_ALL_CASES) and not can(_Person("dpo"), Ability.SEE_ALL_CASES)
    assert can(_Person("dpo"), Ability.READ_ALL_EMAIL) and can(_Person("supervisor"), Ability.READ_ALL_EMAIL)
    assert can(_Person("line_manager"), Ability.REASSIGN) and not can(_Person("case_officer"), Ability.REASSIGN)
    assert not can(_Person(), Ability.START_CASES)
