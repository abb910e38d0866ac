"""A case's record grouped by the stage each entry happened in, oldest or newest first.

An entry about a diagram element with a ``stage`` (a task completed, claimed, cancelled)
belongs to that stage; anything else (a message, a timer, a letter, a task outside the
main path) to the stage the case was in at that moment (its stage visits). Consecutive
entries in one stage make one group, so a case that goes back to monitoring shows it twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..domain.casework import case_facts, strategy_summary
from ..domain.core.vocabulary import stage_title
from . import facts
from .case_record import Entry


@dataclass
class StageGroup:
    stage: str
    title: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def started(self) -> datetime:
        return min(entry.when for entry in self.entries)


def by_stage(entries: list[Entry], visits: list, stages: dict[str, str], newest_first: bool) -> list[StageGroup]:
    """``stages``: element id -> stage (from the case's diagram); ``visits``: stage visits, oldest first."""
    groups: list[StageGroup] = []
    for entry in entries:
        stage = stages.get(entry.element_id or "") or _stage_at(visits, entry.when)
        if not groups or groups[-1].stage != stage:
            groups.append(StageGroup(stage, stage_title(stage)))
        groups[-1].entries.append(entry)
    if newest_first:
        groups = [StageGroup(g.stage, g.title, list(reversed(g.entries))) for g in reversed(groups)]
    return groups


def _stage_at(visits: list, when: datetime) -> str:
    current = visits[0].stage if visits else "recorded"
    for visit in visits:
        if visit.entered_at <= when:
            current = visit.stage
    return current


def page_parts(ctx, case, entries: list[Entry], newest_first: bool) -> dict:
    """What the case page adds above and below its record: the strategy in force and the
    record grouped by stage."""
    strategy = strategy_summary.strategy_of(ctx.session, case)
    terms = [row for fact in case_facts.facts(ctx, case, strategy.answers) for row in facts.rows(fact)] \
        if strategy else []
    stages = {element_id: info.properties["stage"]
              for element_id, info in ctx.bundles.get(case.process_version).elements.items()
              if info.properties.get("stage")}
    return {"strategy": strategy, "strategy_terms": terms, "newest_first": newest_first,
            "history": by_stage(entries, strategy_summary.stage_visits(ctx.session, case.id), stages, newest_first)}
