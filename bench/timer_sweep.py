"""Cost of a timer sweep with nothing due, at 100k waiting timers.

    .venv/bin/python bench/timer_sweep.py [--cases 100000] [--database sqlite|postgres]

Bulk-inserts cases (each with a waiting timer a month away) straight into the
tables, then times ``timers.due_case_ids`` (the one indexed query a quiet
sweep makes) and a whole ``timers.sweep`` call.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from sqlalchemy import insert, select

from helpers import make_app
from service.domain.casework.timers import due_case_ids, sweep
from service.engine import clock
from service.extensions import db
from service.models import Case, ProcessVersion, TimerRecord
from service.services import context


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    app = make_app(Path(tempfile.mkdtemp()), database="file" if args.database == "sqlite" else "postgres")
    with app.app_context():
        version = db.session.scalar(select(ProcessVersion))
        now = clock.now()
        due = now + timedelta(days=30)
        for start in range(0, args.cases, 10_000):
            rows = [dict(id=i + 1, process_version_id=version.id, status="active", stage="monitoring",
                         service_user_name=f"Person {i}", matter_reference=f"M-{i}", state="{}", state_format="x",
                         created_by="bench", created_at=now, updated_at=now, next_timer_at=due, version=1)
                    for i in range(start, min(start + 10_000, args.cases))]
            db.session.execute(insert(Case), rows)
            db.session.execute(insert(TimerRecord), [dict(case_id=r["id"], name="review_due", due_at=due)
                                                      for r in rows])
        db.session.commit()
        query_ms, sweep_ms = [], []
        for _ in range(200):
            started = time.perf_counter()
            assert due_case_ids(db.session) == []
            query_ms.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
        for _ in range(50):
            started = time.perf_counter()
            sweep(context())
            sweep_ms.append((time.perf_counter() - started) * 1000)
        query_ms.sort()
        sweep_ms.sort()
        print(f"{args.database}, {args.cases} waiting timers")
        print(f"due-case query: p50 {statistics.median(query_ms):.2f} ms, p95 {query_ms[int(len(query_ms) * .95)]:.2f} ms")
        print(f"whole quiet sweep (due query + overdue check, two transactions): "
              f"p50 {statistics.median(sweep_ms):.2f} ms, p95 {sweep_ms[int(len(sweep_ms) * .95)]:.2f} ms")


if __name__ == "__main__":
    main()
