"""What supervisors watch: every case, filtered on indexed columns only, and one case's picture."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select

from ..engine import CaseRun, clock
from ..errors import NotFound
from ..models import Case, ProcessVersion, TaskRecord


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


def _query(f: MonitorFilters):
    query = select(Case)
    if f.stage:
        query = query.where(Case.stage == f.stage)
    if f.status:
        query = query.where(Case.status == f.status)
    if f.person:
        query = query.where(Case.service_user_name.ilike(f"%{f.person}%"))
    if f.matter:
        query = query.where(Case.matter_reference.ilike(f"%{f.matter}%"))
    if f.opened_from:
        query = query.where(Case.created_at >= f.opened_from)
    if f.opened_to:
        query = query.where(Case.created_at < f.opened_to)
    if f.version:
        query = query.where(Case.process_version_id == f.version)
    ready = select(TaskRecord.id).where(TaskRecord.case_id == Case.id, TaskRecord.status == "ready")
    if f.role:
        query = query.where(exists(ready.where(TaskRecord.role == f.role)))
    if f.overdue:
        query = query.where(exists(ready.where(TaskRecord.due_at < clock.now())))
    return query


def list_cases(session, f: MonitorFilters) -> tuple[list[Case], int]:
    query = _query(f)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(SORTS.get(f.sort, SORTS["updated"]), Case.id.desc())
                           .offset((f.page - 1) * f.per_page).limit(f.per_page))
    return list(rows), total


def export_csv(session, f: MonitorFilters) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", "person", "matter", "status", "stage", "outcome", "opened", "last change", "version"])
    for case in session.scalars(_query(f).order_by(SORTS.get(f.sort, SORTS["updated"]), Case.id.desc())):
        writer.writerow([case.id, case.service_user_name, case.matter_reference, case.status, case.stage,
                         case.outcome or "", case.created_at.isoformat(), case.updated_at.isoformat(),
                         case.process_version.label])
    return out.getvalue()


def versions(session) -> list[ProcessVersion]:
    """Every deployed version, newest first, for the version filter."""
    return list(session.scalars(select(ProcessVersion).order_by(ProcessVersion.process_id,
                                                                 ProcessVersion.number.desc())))


def dashboard(session) -> dict:
    now = clock.now()
    return {
        "by_stage": dict(session.execute(select(Case.stage, func.count()).where(Case.status == "active")
                                         .group_by(Case.stage)).all()),
        "by_status": dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all()),
        "overdue_tasks": session.scalar(select(func.count()).select_from(TaskRecord).where(
            TaskRecord.status == "ready", TaskRecord.due_at < now)),
        "waiting_at": dict(session.execute(select(TaskRecord.element_id, func.count()).where(
            TaskRecord.status == "ready").group_by(TaskRecord.element_id)).all()),
    }


def case_picture(ctx, case: Case, process_id: str | None = None) -> dict:
    """One process of a case on its diagram: what is done, active and waited for (loads the engine once).

    ``process_id`` picks a called process to drill into (default: the main one).
    Marks cover every element drawn in that process's file, embedded
    sub-processes included. A process called more than once (the strategy
    amendment is called from three places) shows the union of its calls.
    """
    bundle = ctx.bundles.get(case.process_version)
    process_id = process_id or bundle.main_process
    specs = bundle.all_specs()
    file_name = case.process_version.file_defining(process_id) if process_id in specs else None
    if file_name is None:
        raise NotFound(f"Version {case.process_version.label} has no process '{process_id}' to show.")
    xml = case.process_version.files[file_name]
    drawn = {pid for pid in specs if case.process_version.file_defining(pid) == file_name}
    shown = {e.element_id for e in bundle.elements.values() if e.process_id in drawn}
    run = CaseRun.load(bundle, case.state)
    completed = [e for e in run.completed_elements() if e in shown]
    active_anywhere = sorted({e.element_id for e in run.active_elements()})
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
            "data": run.data()}
