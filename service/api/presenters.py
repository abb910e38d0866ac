"""Turn models into the contract's JSON shapes, reading indexed rows only."""
from __future__ import annotations

from ..domain.casework.cases import ready_tasks, waiting_for
from ..domain.core.vocabulary import case_reference
from ..engine import clock
from ..extensions import db
from ..models import Case, TaskRecord


def task_dict(task: TaskRecord) -> dict:
    return {"id": task.id, "case_id": task.case_id, "element_id": task.element_id, "title": task.title,
            "role": task.role, "created_at": task.created_at, "due_at": task.due_at,
            "overdue": bool(task.due_at and task.due_at < clock.now()), "claimed_by": task.claimed_by}


def case_dicts(cases: list[Case]) -> list[dict]:
    ids = [c.id for c in cases]
    tasks, waits = ready_tasks(db.session, ids), waiting_for(db.session, ids)
    return [{
        "id": c.id, "reference": case_reference(c.id), "status": c.status, "stage": c.stage, "outcome": c.outcome,
        "service_user_name": c.service_user_name, "service_user_reference": c.service_user_reference,
        "matter_reference": c.matter_reference, "process_version": c.process_version.label,
        "ready_tasks": [task_dict(t) for t in tasks[c.id]], "waiting": waits[c.id],
        "created_by": c.created_by, "created_at": c.created_at, "updated_at": c.updated_at,
    } for c in cases]


def case_dict(case: Case) -> dict:
    return case_dicts([case])[0]
