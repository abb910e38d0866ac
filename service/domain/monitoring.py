"""What supervisors watch: every case, filtered on indexed columns only, and one case's picture."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select

from ..engine import CaseRun, clock
from ..models import Case, TaskRecord


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


def case_picture(ctx, case: Case) -> dict:
    """For the diagram view: what is done, what is active, what is waited for (loads the engine once)."""
    bundle = ctx.bundles.get(case.process_version)
    run = CaseRun.load(bundle, case.state)
    main_ids = {info.element_id for info in bundle.elements.values() if info.process_id == bundle.main_process}
    active = sorted({e.element_id for e in run.active_elements()})
    waiting = [{"kind": w.kind, "name": w.name, "element_id": w.element_id,
                "due_at": w.due_at.isoformat() if w.due_at else None} for w in run.waiting()]
    main_file = next(name for name, text in case.process_version.files.items()
                     if f'id="{bundle.main_process}"' in text)
    return {"xml": case.process_version.files[main_file], "completed": [e for e in run.completed_elements() if e in main_ids],
            "active": [e for e in active if e in main_ids], "active_anywhere": active, "waiting": waiting,
            "data": run.data()}
