"""The supervisor's pages at 100k cases: each cases-list filter, the CSV export, the dashboard, the yearly report.

    .venv/bin/python bench/monitoring_queries.py [--cases 100000] [--database sqlite|postgres] [--repeat 20]

Bulk-inserts cases straight into the tables, spread the way a busy office's
would be: every stage and status, two deployed versions, opened over two
years, one ready task per open case (a tenth of them overdue), the audit
events the yearly report reads (and case views, which it must skip) and the
stage history. Then times the domain calls the pages make, each in a fresh
session, and prints p50/p95 per query. No engine state is loaded by any of
them, which is the point: the figures must not depend on what cases hold.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from sqlalchemy import insert, select

from helpers import CHECKOUT, make_app, shipped_workflows
from service.domain.casework.persistence import STAGES
from service.domain.core.transaction import transaction
from service.domain.definitions.versions import deploy
from service.domain.monitoring import dashboard as monitoring, reports
from service.domain.people.roles import ROLES
from service.engine import clock
from service.extensions import db
from service.models import AuditEvent, Case, ProcessVersion, StageVisit, TaskRecord
from service.services import context

SURNAMES = ["Jones", "Smith", "Patel", "Williams", "Brown", "Taylor", "Khan", "Davies", "Evans", "Wilson"]
STATUSES = ["active"] * 14 + ["closed"] * 4 + ["suspended", "terminated"]
# Completed tasks the yearly report counts, with how often a case has one.
REPORTED = [("issue_warning", {}, 0.3), ("notify_contact_strategy", {}, 0.1),
            ("consider_dispute", {"outcome": "uphold"}, 0.03), ("review_contact_strategy", {}, 0.1),
            ("consider_police_report", {"report_to_police": True}, 0.02)]
FIRST_DAY = datetime(2025, 1, 1, tzinfo=timezone.utc)


def populate(count: int, versions: list[int], state_bytes: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    now = clock.now()
    span = (now - FIRST_DAY).total_seconds()
    roles = list(ROLES)
    for start in range(0, count, 10_000):
        cases, tasks, events, visits = [], [], [], []
        for i in range(start, min(start + 10_000, count)):
            opened = FIRST_DAY + timedelta(seconds=rng.random() * span)
            status = rng.choice(STATUSES)
            stage = "closed" if status == "closed" else rng.choice(STAGES[1:-1])
            case_id = i + 1
            cases.append(dict(id=case_id, process_version_id=versions[i % len(versions)], status=status, stage=stage,
                              service_user_name=f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(SURNAMES)} {i}",
                              matter_reference=f"OPCC-{opened.year}-{i}", state_format="bench",
                              state=rng.randbytes(state_bytes // 2).hex(),  # as large as a real case's
                              created_by="case_officer", created_at=opened, updated_at=opened + timedelta(days=3),
                              version=1))
            if status == "active":
                due = now + timedelta(days=rng.uniform(-3, 27))  # about one in ten overdue
                tasks.append(dict(id=f"bench-ready-{i}", case_id=case_id, element_id=f"{stage}_task",
                                  title="Bench task", role=rng.choice(roles), status="ready", created_at=opened,
                                  due_at=due))
            tasks.append(dict(id=f"bench-done-{i}", case_id=case_id, element_id="manager_review", title="Review",
                              role="line_manager", status="completed", created_at=opened, completed_at=opened))
            events.append(dict(case_id=case_id, actor="case_officer", action="case_started", data={},
                               created_at=opened))
            events += [dict(case_id=case_id, actor="supervisor", action="case_viewed", data={},
                            created_at=opened + timedelta(hours=h)) for h in (1, 30)]
            for element, data, share in REPORTED:
                if rng.random() < share:
                    events.append(dict(case_id=case_id, actor="case_officer", action="task_completed",
                                       element_id=element, data=data, created_at=opened + timedelta(days=2)))
            visits += [dict(case_id=case_id, stage="manager_review", entered_at=opened,
                            left_at=opened + timedelta(days=rng.uniform(1, 10))),
                       dict(case_id=case_id, stage=stage, entered_at=opened + timedelta(days=10), left_at=None)]
        for model, rows in ((Case, cases), (TaskRecord, tasks), (AuditEvent, events), (StageVisit, visits)):
            db.session.execute(insert(model), rows)
        db.session.commit()


def timed(call, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        db.session.remove()
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * .95))], result


def queries(versions: list[int]) -> list[tuple[str, object]]:
    def cases(**kw):
        return lambda: monitoring.list_cases(db.session, monitoring.MonitorFilters(**kw))[1]

    year = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))
    return [
        ("cases list, no filter, page 1", cases()),
        ("stage = monitoring", cases(stage="monitoring")),
        ("status = closed", cases(status="closed")),
        ("next task with line manager", cases(role="line_manager")),
        ("overdue tasks only", cases(overdue=True)),
        ("person contains 'patel 42'", cases(person="patel 42")),
        ("matter contains '2026-777'", cases(matter="2026-777")),
        ("opened in March 2026", cases(opened_from=datetime(2026, 3, 1, tzinfo=timezone.utc),
                                       opened_to=datetime(2026, 4, 1, tzinfo=timezone.utc))),
        ("process version = newest", cases(version=versions[-1])),
        ("stage + role + overdue", cases(stage="strategy_active", role="case_officer", overdue=True)),
        ("sorted by person, page 500", cases(sort="person", page=500)),
        ("CSV of stage = monitoring", lambda: monitoring.export_csv(db.session, "bench", monitoring.MonitorFilters(
            stage="monitoring")).count("\n") - 1),
        ("dashboard counts", lambda: sum(monitoring.dashboard(db.session)["by_stage"].values())),
        ("dashboard figures and chart (this year)", lambda: reports.count_figures(db.session, *year).figures[
            "cases_opened"]),
        ("yearly report 2026 (with time in stage)", lambda: reports.yearly_report(db.session, *year).figures[
            "cases_opened"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--state-bytes", type=int, default=12_000,
                        help="engine state per case (a real one holds 8-45 KB; lists must never read it)")
    args = parser.parse_args()
    app = make_app(Path(tempfile.mkdtemp()), database="file" if args.database == "sqlite" else "postgres",
                   workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        files = shipped_workflows(CHECKOUT / "workflows")
        files["contact_management.bpmn"] = files["contact_management.bpmn"].replace(b"Discuss the", b"Talk about the")
        with transaction(db.session):
            deploy(context(), files, "bench", "second version")
        versions = list(db.session.scalars(select(ProcessVersion.id).order_by(ProcessVersion.id)))
        started = time.perf_counter()
        populate(args.cases, versions, args.state_bytes)
        print(f"{args.database}, {args.cases} cases (populated in {time.perf_counter() - started:.0f} s), "
              f"median and p95 of {args.repeat} runs, each in a fresh session")
        print("| query | rows matched | p50 ms | p95 ms |\n|---|---:|---:|---:|")
        for name, call in queries(versions):
            p50, p95, result = timed(call, args.repeat)
            print(f"| {name} | {result} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
