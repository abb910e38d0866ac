"""Databases for the benchmarks and cases stored in bulk: a few template cases moved through the diagram
with the service's own domain calls, then cloned row by row with fresh engine task ids."""
from __future__ import annotations

import random
import uuid
from pathlib import Path

from bench_setup import FIXTURES, PROCESS, SECRET, START, STEP_DATA, STEPS, UUID_RE


def database_url(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite'}"
    if kind == "postgres":
        from pg_server import server
        return server().new_database()
    return kind  # an explicit URL


def settings_for(url: str, workflows: Path = FIXTURES, forms: Path = FIXTURES / "forms",
                 process: str = PROCESS) -> dict:
    return {"ENV": "testing", "TESTING": False, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
            "DEMO_USERS": True, "WORKFLOWS_DIR": workflows, "FORMS_DIR": forms, "DEFAULT_PROCESS": process,
            "LOG_FORMAT": "json", "WTF_CSRF_ENABLED": False}


def make_service_app(url: str, **overrides):
    from service import create_app
    return create_app({**settings_for(url), **overrides})


def prepare_schema(app) -> None:
    """Schema, the benchmark diagram and the demo users (password 'demo')."""
    from service.cli import create_schema, shipped_workflows
    from service.domain.core.transaction import transaction
    from service.domain.definitions.versions import deploy
    from service.domain.people import users
    from service.extensions import db
    from service.services import context
    with app.app_context():
        create_schema()
        with transaction(db.session):
            deploy(context(), shipped_workflows(app.config["WORKFLOWS_DIR"]), "system", "benchmark")
            users.seed_demo_users(db.session)
        app.extensions["boundary.bundles"].clear()


def issue_token(app, username: str = "case_officer") -> str:
    from service.domain.core.transaction import transaction
    from service.domain.people import users
    from service.extensions import db
    with app.app_context():
        with transaction(db.session):
            return users.issue_token(db.session, users.find_user(db.session, username), 48)


# -- bulk cases ----------------------------------------------------------------------
def _templates(app) -> list[int]:
    """One case per position: template k has k of the fifteen tasks done."""
    from service.domain.casework import cases, tasks
    from service.domain.core.transaction import transaction
    from service.domain.people import users
    from service.extensions import db
    from service.services import context
    ids = []
    with app.app_context():
        officer = users.find_user(db.session, "case_officer")
        for position in range(STEPS):
            with transaction(db.session):
                case = cases.start_case(context(), officer, {**START, "matter_reference": f"T-{position}"})
            for _ in range(position):
                ready = tasks.list_tasks(context(), officer)
                mine = [t for t in ready if t.case_id == case.id]
                with transaction(db.session):
                    tasks.complete_task(context(), officer, mine[0].id, STEP_DATA)
            ids.append(case.id)
    return ids


def populate(app, count: int, batch: int = 5000, seed: int = 1) -> None:
    """Store ``count`` cases (templates included), spread evenly over the fifteen positions."""
    from sqlalchemy import func, insert, select

    from service.extensions import db
    from service.models import AuditEvent, Case, TaskRecord

    with app.app_context():
        existing = db.session.scalar(select(func.count()).select_from(Case)) or 0
    templates = _templates(app) if existing == 0 else []
    with app.app_context():
        if not templates:
            templates = list(db.session.scalars(select(Case.id).order_by(Case.id).limit(STEPS)))
        rows = {}
        for case_id in templates:
            case = db.session.get(Case, case_id)
            case_row = {c.name: getattr(case, c.key) for c in Case.__table__.columns if c.name != "id"}
            task_rows = [{c.name: getattr(t, c.key) for c in TaskRecord.__table__.columns}
                         for t in db.session.scalars(select(TaskRecord).where(TaskRecord.case_id == case_id))]
            audit_rows = [{c.name: getattr(a, c.key) for c in AuditEvent.__table__.columns if c.name != "id"}
                          for a in db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id))]
            rows[case_id] = (case_row, task_rows, audit_rows)
        next_id = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
        to_make = max(count - existing - len(templates), 0)
        engine = db.engine
        rng = random.Random(seed)
        made = 0
        while made < to_make:
            size = min(batch, to_make - made)
            cases, task_rows, audit_rows = [], [], []
            for offset in range(size):
                template = templates[(made + offset) % len(templates)]
                case_row, template_tasks, template_audit = rows[template]
                new_id = next_id + made + offset
                mapping: dict[str, str] = {}

                def fresh(match, mapping=mapping):
                    old = match.group(0)
                    if old not in mapping:
                        mapping[old] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    return mapping[old]

                state = UUID_RE.sub(fresh, case_row["state"])
                cases.append({**case_row, "id": new_id, "state": state,
                              "matter_reference": f"B-{new_id}", "version": 1})
                for task in template_tasks:
                    task_rows.append({**task, "id": mapping.get(task["id"], str(uuid.uuid4())), "case_id": new_id})
                for event in template_audit:
                    audit_rows.append({**event, "case_id": new_id,
                                       "task_id": mapping.get(event["task_id"]) if event["task_id"] else None})
            with engine.begin() as connection:
                connection.execute(insert(Case.__table__), cases)
                connection.execute(insert(TaskRecord.__table__), task_rows)
                connection.execute(insert(AuditEvent.__table__), audit_rows)
            made += size
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.exec_driver_sql("SELECT setval(pg_get_serial_sequence('cases', 'id'), "
                                           "(SELECT max(id) FROM cases))")
                connection.exec_driver_sql("ANALYZE")
        else:
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        db.session.remove()


def ready_tasks(app, limit: int | None = None, seed: int = 7) -> list[tuple[int, str]]:
    """(case id, ready task id) pairs in random order."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import TaskRecord
    with app.app_context():
        pairs = list(db.session.execute(select(TaskRecord.case_id, TaskRecord.id).where(TaskRecord.status == "ready")))
        db.session.remove()
    random.Random(seed).shuffle(pairs)
    return [tuple(p) for p in (pairs[:limit] if limit else pairs)]


def stored_bytes(app) -> dict[str, int]:
    """Bytes the database holds per table (PostgreSQL: relation sizes; SQLite: dbstat)."""
    from service.extensions import db
    with app.app_context():
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "postgresql":
                rows = connection.exec_driver_sql(
                    "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'").all()
            else:
                rows = connection.exec_driver_sql("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").all()
    return {name: int(size) for name, size in rows}
