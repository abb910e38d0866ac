"""What a case has done, element by element, for its diagram on the monitor page (issue #22).

The live engine tree forgets: ``CaseRun._prune`` drops finished repetitions
(every breach, dispute, contact and review cycle, with the called processes
inside them). So the marks come from everything that remembers: the engine's
own count (the live tree plus what pruning put aside), the task rows (every
human task ever completed, for cases pruned before the engine kept counts) and
the audit record (timers fired). Incidents come from the engine incidents and
timer failures a supervisor has not yet resolved.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from ...engine import CaseRun, ProcessBundle, clock
from ...models import AuditEvent, Case, EngineIncident, TaskRecord, TimerFailure

if TYPE_CHECKING:
    from ..core.context import Session


@dataclass
class History:
    counts: dict[str, int]  # element id -> times completed (1 or more)
    incidents: list[dict[str, Any]] = field(default_factory=list)  # {"element_id", "text"}


def of(session: Session, case: Case, run: CaseRun) -> History:
    """Every element the case completed, with how often, and its open incidents."""
    counts = Counter(run.completed_counts())
    rows = session.execute(select(TaskRecord.element_id, func.count()).where(
        TaskRecord.case_id == case.id, TaskRecord.status == "completed").group_by(TaskRecord.element_id))
    for element, times in rows:
        counts[element] = max(counts[element], times)
    fired: Counter[str] = Counter()
    for data in session.scalars(select(AuditEvent.data).where(AuditEvent.case_id == case.id,
                                                              AuditEvent.action == "timer_fired")):
        fired.update((data or {}).get("timers") or [])
    for element, times in fired.items():
        counts[element] = max(counts[element], times)
    return History(dict(counts), _incidents(session, case, run))


def _incidents(session: Session, case: Case, run: CaseRun) -> list[dict[str, Any]]:
    found = [{"element_id": i.element_id or None,
              "text": f"{i.title or 'The case'} could not move on ({i.action.replace('_', ' ')}, "
                      f"{i.created_at:%d %B %Y %H:%M}): a supervisor resolves it on the dashboard."}
             for i in session.scalars(select(EngineIncident).where(EngineIncident.case_id == case.id,
                                                                   EngineIncident.resolved_at.is_(None))
                                      .order_by(EngineIncident.id))]
    failure = session.get(TimerFailure, case.id)
    if failure is not None:
        now = clock.now()
        due = sorted({w.element_id for w in run.waiting() if w.kind == "timer" and w.due_at and w.due_at <= now})
        state = "an incident: retry it from the dashboard" if failure.is_incident else "being retried"
        text = f"The timer failed to fire {failure.attempts} time{'s' if failure.attempts != 1 else ''}; {state}."
        elements: list[str | None] = list(due) if due else [None]
        found.extend({"element_id": element, "text": text} for element in elements)
    return found


def shown_counts(history: History, bundle: ProcessBundle, shown: set[str]) -> dict[str, int]:
    """Repeat counts worth drawing: elements of this diagram done more than once, gateways aside
    (a parallel join completes once per branch, which says nothing to a supervisor)."""
    return {element: times for element, times in sorted(history.counts.items())
            if element in shown and times > 1 and "Gateway" not in bundle.elements[element].kind}
