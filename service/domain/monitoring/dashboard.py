"""What supervisors watch: every case, filtered on indexed columns only, and one case's picture."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, func, select

from ...engine import CaseRun, clock
from ...errors import NotFound
from ...models import LIST_LOADING, Case, CaseStatus, ProcessVersion, TaskRecord, TaskStatus
from ..core import audit
from ..core.audit import AuditAction
from . import case_history
from .csv_export import to_csv

if TYPE_CHECKING:
    from ..core.context import Context, Session

_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


@dataclass
class MonitorFilters:
    stage: str | None = None
    status: str | None = None
    role: str | None = None
    overdue: bool = False
    person: str | None = None
    matter: str | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    version: int | None = None
    sort: str = "updated"
    page: int = 1
    per_page: int = 50


SORTS = {"updated": Case.updated_at.desc(), "opened": Case.created_at.desc(), "person": Case.service_user_name,
         "stage": Case.stage}
CSV_COLUMNS = ["case", "person", "matter", "status", "stage", "outcome", "opened", "last change", "version"]


def _conditions(f: MonitorFilters) -> list[Any]:
    """The filters as WHERE clauses on indexed columns (ready-task ones as ``IN`` over ``ix_tasks_inbox``)."""
    found = []
    if f.stage:
        found.append(Case.stage == f.stage)
    if f.status:
        found.append(Case.status == f.status)
    # Text filters as "id IN (...)": the match runs over the name or matter index
    # alone, and only the matching cases' rows are read.
    if f.person:
        found.append(Case.id.in_(select(Case.id).where(
            Case.service_user_name.ilike(f"%{_literal(f.person)}%", escape="\\"))))
    if f.matter:
        found.append(Case.id.in_(select(Case.id).where(
            Case.matter_reference.ilike(f"%{_literal(f.matter)}%", escape="\\"))))
    if f.opened_from:
        found.append(Case.created_at >= f.opened_from)
    if f.opened_to:
        found.append(Case.created_at < f.opened_to)
    if f.version:
        found.append(Case.process_version_id == f.version)
    ready = select(TaskRecord.case_id).where(TaskRecord.status == TaskStatus.READY)
    if f.role:
        found.append(Case.id.in_(ready.where(TaskRecord.role == f.role)))
    if f.overdue:
        found.append(Case.id.in_(ready.where(TaskRecord.due_at < clock.now())))
    return found


def _literal(text: str) -> str:
    """Typed text matched as written: % and _ are not wildcards."""
    return text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ordered(query: _Query, f: MonitorFilters) -> _Query:
    return query.order_by(SORTS.get(f.sort, SORTS["updated"]), Case.id.desc())


def list_cases(session: Session, f: MonitorFilters) -> tuple[list[Case], int]:
    """One page of cases and how many match; the engine state is never read."""
    conditions = _conditions(f)
    total = session.scalar(select(func.count(Case.id)).where(*conditions))
    page = _ordered(select(Case).options(*LIST_LOADING).where(*conditions), f)
    return list(session.scalars(page.offset((f.page - 1) * f.per_page).limit(f.per_page))), total or 0


def export_csv(session: Session, actor: str, f: MonitorFilters) -> str:
    """Every matching case, read as plain columns (no objects, no engine state).

    It holds people's names, so the export goes on the record: who, which filters, how many cases.
    """
    rows = session.execute(_ordered(select(
        Case.id, Case.service_user_name, Case.matter_reference, Case.status, Case.stage, Case.outcome,
        Case.created_at, Case.updated_at, ProcessVersion.process_id, ProcessVersion.number,
    ).join(ProcessVersion, Case.process_version_id == ProcessVersion.id).where(*_conditions(f)), f))
    lines = [[case_id, person, matter, status, stage, outcome or "", opened.isoformat(), changed.isoformat(),
              f"{process_id} v{number}"]
             for (case_id, person, matter, status, stage, outcome, opened, changed, process_id, number) in rows]
    filters = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(f).items()
               if v not in (None, "", False) and k not in ("sort", "page", "per_page")}
    audit.record(session, actor, AuditAction.CASES_EXPORTED, data={"filters": filters, "cases": len(lines)})
    return to_csv([CSV_COLUMNS, *lines])


def dashboard(session: Session) -> dict[str, Any]:
    now = clock.now()
    return {
        "by_stage": dict(session.execute(select(Case.stage, func.count()).where(Case.status == CaseStatus.ACTIVE)
                                         .group_by(Case.stage)).all()),
        "by_status": dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all()),
        "overdue_tasks": session.scalar(select(func.count()).select_from(TaskRecord).where(
            TaskRecord.status == TaskStatus.READY, TaskRecord.due_at < now)),
        "waiting_at": dict(session.execute(select(TaskRecord.element_id, func.count()).where(
            TaskRecord.status == TaskStatus.READY).group_by(TaskRecord.element_id)).all()),
    }


def diagram_file(ctx: Context, case: Case, process_id: str | None = None) -> tuple[str, str, str]:
    """The process to show (default: the main one), the file that defines it, and its BPMN text.

    Holds no personal data, so fetching it is not a view of the case (no audit event)."""
    bundle = ctx.bundles.get(case.process_version)
    process_id = process_id or bundle.main_process
    name = case.process_version.file_defining(process_id) if process_id in bundle.all_specs() else None
    if name is None:
        raise NotFound(f"Version {case.process_version.label} has no process '{process_id}' to show.")
    return process_id, name, case.process_version.files[name]


def case_picture(ctx: Context, case: Case, process_id: str | None = None) -> dict[str, Any]:
    """One process of a case on its diagram: what is done, active and waited for (loads the engine once).

    ``process_id`` picks a called process to drill into (default: the main one).
    Marks cover every element drawn in that process's file, embedded
    sub-processes included. A process called more than once (the strategy
    amendment is called from three places) shows the union of its calls.
    Done marks and counts are the case's whole history (``case_history``),
    not only what the live engine tree still holds.
    """
    bundle = ctx.bundles.get(case.process_version)
    specs = bundle.all_specs()
    process_id, file_name, xml = diagram_file(ctx, case, process_id)
    defined = case.process_version.files_defining()
    drawn = {pid for pid in specs if defined.get(pid) == file_name}
    shown = {e.element_id for e in bundle.elements.values() if e.process_id in drawn}
    run = CaseRun.load(bundle, case.state)
    history = case_history.of(ctx.session, case, run)
    active_anywhere = sorted({e.element_id for e in run.active_elements()})
    # done at some time, pruned repetitions and finished called processes included, and not active now
    completed = sorted(e for e in history.counts if e in shown and e not in active_anywhere)
    counts = case_history.shown_counts(history, bundle, shown)
    waiting = [{"kind": w.kind, "name": w.name, "element_id": w.element_id,
                "due_at": w.due_at.isoformat() if w.due_at else None} for w in run.waiting()]
    calls = [{"element_id": e.element_id, "title": e.title, "process": e.called_process,
              "state": "active" if e.element_id in active_anywhere else
                       "done" if e.element_id in completed else "not reached"}
             for e in sorted(bundle.elements.values(), key=lambda e: e.title)
             if e.element_id in shown and e.called_process in specs]
    return {"process": process_id, "main_process": bundle.main_process, "xml": xml, "calls": calls,
            "completed": completed, "active": [e for e in active_anywhere if e in shown],
            "active_anywhere": active_anywhere, "waiting": [w for w in waiting if w["element_id"] in shown],
            "counts": counts,
            "repeated": [{"element_id": e, "title": bundle.elements[e].title, "times": n} for e, n in counts.items()],
            "incidents": [i for i in history.incidents if i["element_id"] is None or i["element_id"] in shown],
            "data": run.data()}
