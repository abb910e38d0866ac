"""Case data on a page (``domain.casework.case_facts``) as question-and-answer rows, grouped by what
recorded them: the task page's "What you are deciding" and the supervisor's "Current data"."""
from __future__ import annotations

from ..domain.casework.case_facts import Fact
from . import form_fields


def rows(fact: Fact) -> list[tuple[str, str]]:
    """A fact as (question, answer) rows in the words of the form that recorded it."""
    if fact.payload:
        return form_fields.answers(fact.form, fact.value) if isinstance(fact.value, dict) else []
    return form_fields.answers(fact.form, {fact.name: fact.value})


def grouped(facts: list[Fact]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(source, rows) for each run of facts recorded by the same task or form, in order."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for fact in facts:
        found = rows(fact)
        if not found:
            continue
        if groups and groups[-1][0] == fact.source:
            groups[-1][1].extend(found)
        else:
            groups.append((fact.source, list(found)))
    return groups
