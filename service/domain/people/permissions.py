"""Who may do what: each ability and the roles that hold it, in one table.

Every role check in the pages, the API and the domain reads ``ABILITIES``
(tests/test_permissions.py fails on a role key written anywhere else in
service/). Holding a task's lane role is a different rule: a task belongs to
its lane's role (``domain.casework.tasks``, ``domain.people.claims``).
"""
from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Protocol


class Ability(StrEnum):
    START_CASES = "start_cases"
    SEE_ALL_CASES = "see_all_cases"
    READ_ALL_EMAIL = "read_all_email"
    REASSIGN = "reassign"
    SUPERVISE = "supervise"
    OWN_PROCESSES = "own_processes"
    DPO_WORK = "dpo_work"
    SEE_RETENTION = "see_retention"
    ADMINISTER = "administer"


# Roles in the order a refusal names them ("This page is for dpo or supervisor only.").
ABILITIES: dict[Ability, tuple[str, ...]] = {
    # Record an incident, which starts a case.
    Ability.START_CASES: ("case_officer",),
    # Need-to-know does not limit them: every case, whoever held its tasks.
    Ability.SEE_ALL_CASES: ("supervisor",),
    # The outbox: every email, not only their own and those about cases they can see.
    Ability.READ_ALL_EMAIL: ("supervisor", "dpo"),
    # Give a ready task to someone else, or take one over, in any role.
    Ability.REASSIGN: ("supervisor", "line_manager"),
    # Monitoring pages, incidents, and suspending, resuming or terminating a case.
    Ability.SUPERVISE: ("supervisor",),
    # Read, change, deploy and migrate process definitions and forms (the modeller and its API).
    Ability.OWN_PROCESSES: ("process_owner",),
    # The data protection pages: subject access, the disclosure register.
    Ability.DPO_WORK: ("dpo",),
    # The retention dry run: which closed cases are due to be purged.
    Ability.SEE_RETENTION: ("dpo", "supervisor"),
    # Accounts and roles.
    Ability.ADMINISTER: ("admin",),
}


class HasRoles(Protocol):
    @property
    def roles(self) -> Collection[str]: ...


def roles_with(ability: Ability) -> tuple[str, ...]:
    """The roles that hold ``ability``, in the table's order."""
    return ABILITIES[ability]


def can(user: HasRoles, ability: Ability) -> bool:
    """Whether ``user`` holds a role with ``ability`` (an anonymous user holds none)."""
    return any(role in user.roles for role in ABILITIES[ability])
