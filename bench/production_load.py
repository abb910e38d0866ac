"""Issue #8's benchmark: completions through gunicorn (2 workers) on SQLite and PostgreSQL.

For each database and each number of stored cases (default 1k, 10k, 100k; a
fresh database each time, cases cloned from templates, see harness.py):
8 clients complete ready tasks of random cases through the API for
``--seconds`` (the throughput), then 2 clients (a completion's latency
without queueing), then completions offered at each of ``--rates`` per second with
Poisson arrivals (the latency staff see at that load: closed-loop clients'
latency is set by how many there are). Figures are completions/s and
p50/p95/p99 latency, each with
its ratio to the raw SpiffWorkflow baseline measured at the start of the run
(load JSON -> complete -> save JSON, spec handed in, on 2 processes for the
throughput figure). At the largest size it also times the inbox query with
every stored case holding an open task, and it reports bytes stored per case.

Targets (issue #8, this 2-core machine): >= 250 completions/s, p95 <= 25 ms,
flat from 1k to 100k (<= 1.2x), inbox p95 <= 20 ms.

    .venv/bin/python bench/production_load.py [--databases sqlite,postgres] [--sizes 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import harness


def inbox_timings(app, token: str, samples: int, page: int = 50) -> dict:
    """The inbox with every case holding an open task: one page as the domain reads it (service.domain.casework.tasks)."""
    from sqlalchemy import event, select

    from service.domain.casework import tasks
    from service.domain.people import users
    from service.extensions import db
    from service.models import TaskRecord
    from service.services import context

    page_times = []
    with app.app_context():
        officer = users.find_user(db.session, "case_officer")
        seen = []  # the statement the domain runs for one page, to show its plan

        def capture(conn, cursor, statement, params, context_, many):
            seen.append((statement, params))

        event.listen(db.engine, "before_cursor_execute", capture)
        tasks.list_tasks(context(), officer, limit=page)
        event.remove(db.engine, "before_cursor_execute", capture)
        open_tasks = db.session.scalar(select(db.func.count()).select_from(TaskRecord)
                                       .where(TaskRecord.status == "ready"))
        for _ in range(samples):
            started = time.perf_counter()
            rows = tasks.list_tasks(context(), officer, limit=page)
            page_times.append(time.perf_counter() - started)
            db.session.rollback()
        assert len(rows) == page
        with db.engine.begin() as connection:  # how the database answers it (ix_tasks_inbox, no sort)
            statement, params = [s for s in seen if "FROM tasks" in s[0]][-1]
            explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
            plan = connection.exec_driver_sql(explain + statement, params).all()
        db.session.remove()
    return {"open_tasks": open_tasks, "page_size": page, "query": harness.summary(page_times),
            "plan": [" ".join(str(c) for c in row) for row in plan]}


def api_inbox(port: int, token: str, samples: int, path: str = "/api/v1/tasks") -> dict:
    times, size = [], 0
    for _ in range(samples):
        started = time.perf_counter()
        status, body = harness.request(port, "GET", path, token=token, timeout=120)
        times.append(time.perf_counter() - started)
        size = len(body)
        assert status == 200, status
    return {**harness.summary(times), "response_bytes": size}


def bytes_per_case(app, size: int) -> dict:
    stored = harness.stored_bytes(app)
    keys = ("cases", "tasks", "audit_events", "timers", "message_waits")
    return {"tables": {k: stored.get(k, 0) for k in keys},
            "per_case": round(sum(stored.get(k, 0) for k in keys) / size)}


def full_path_bytes(database: str) -> dict:
    """One case walked through all fifteen tasks: its state and rows, in bytes."""
    from sqlalchemy import func, select

    from service.domain.casework import cases, tasks
    from service.domain.core.transaction import transaction
    from service.domain.people import users
    from service.extensions import db
    from service.models import AuditEvent, Case, TaskRecord
    from service.services import context
    folder = Path(tempfile.mkdtemp(prefix="boundary-bench-"))
    app = harness.make_service_app(harness.database_url(database, folder), LOG_LEVEL="WARNING")
    harness.prepare_schema(app)
    with app.app_context():
        officer = users.find_user(db.session, "case_officer")
        with transaction(db.session):
            case = cases.start_case(context(), officer, dict(harness.START))
        started_state = len(case.state)
        for _ in range(harness.STEPS):
            ready = [t for t in tasks.list_tasks(context(), officer) if t.case_id == case.id]
            with transaction(db.session):
                tasks.complete_task(context(), officer, ready[0].id, dict(harness.STEP_DATA))
        case = db.session.get(Case, case.id)
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        task_rows = db.session.scalar(select(func.count()).select_from(TaskRecord).where(TaskRecord.case_id == case.id))
        result = {"status": case.status, "state_bytes_at_start": started_state, "state_bytes_closed": len(case.state),
                  "task_rows": task_rows, "audit_rows": len(audit),
                  "audit_data_bytes": sum(len(json.dumps(a.data)) for a in audit)}
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return result


def measure(database: str, size: int, seconds: float, clients: int, inbox: bool, workers: int = 2,
            rates: tuple[float, ...] = (250.0,)) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="boundary-bench-"))
    url = harness.database_url(database, folder)
    app = harness.make_service_app(url, LOG_LEVEL="WARNING")
    harness.prepare_schema(app)
    began = time.perf_counter()
    harness.populate(app, size)
    populated = time.perf_counter() - began
    token = harness.issue_token(app)
    targets = harness.ready_tasks(app, limit=20000)
    result = {"database": database, "size": size, "populate_s": round(populated, 1),
              "storage": bytes_per_case(app, size)}
    if inbox:
        result["inbox"] = inbox_timings(app, token, samples=200)
    with app.app_context():
        from service.extensions import db
        db.session.remove()
        db.engine.dispose()
    server = harness.Gunicorn(url, workers=workers)
    try:
        workers, database_pids = server.worker_pids(), harness.database_server_pids()
        cpu_before = harness.cpu_seconds(workers), harness.cpu_seconds(database_pids)
        run = harness.drive_http(server.port, token, targets, clients=clients, seconds=seconds)
        cpu_used = (harness.cpu_seconds(workers) - cpu_before[0], harness.cpu_seconds(database_pids) - cpu_before[1])
        # One client per worker: each completion's latency without waiting in gunicorn's queue.
        unqueued = harness.drive_http(server.port, token, run.remaining, clients=2,
                                      seconds=min(seconds, 6.0))
        # Staff do not wait for each other: completions offered at the target rate, latency from when each was due.
        offered, remaining = [], unqueued.remaining
        for rate in rates:  # lowest first, each on what the one before left
            run_at = harness.drive_open_loop(server.port, token, remaining, rate=rate, seconds=min(seconds, 10.0))
            offered.append((rate, run_at))
            remaining = run_at.remaining
        if inbox:
            result["inbox"]["api_full_list"] = api_inbox(server.port, token, samples=5)
            result["inbox"]["api_page"] = api_inbox(server.port, token, samples=100, path="/api/v1/tasks?per_page=50")
    finally:
        server.stop()
    shutil.rmtree(folder, ignore_errors=True)
    result["load"] = {**harness.summary(run.latencies), "per_s": round(run.per_second, 1), "statuses": run.statuses,
                      "elapsed_s": round(run.elapsed, 1), "client_cpu_cores": round(run.client_cpu, 2),
                      # CPU per completion: steadier than throughput on a machine whose speed varies
                      "worker_cpu_ms": round(1000 * cpu_used[0] / max(len(run.latencies), 1), 2),
                      "database_cpu_ms": round(1000 * cpu_used[1] / max(len(run.latencies), 1), 2)}
    result["load_2_clients"] = {**harness.summary(unqueued.latencies), "per_s": round(unqueued.per_second, 1),
                                "statuses": unqueued.statuses}
    result["offered"] = [{**harness.summary(r.latencies), "rate": rate, "per_s": round(r.per_second, 1),
                          "statuses": r.statuses} for rate, r in offered]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the issue's figure is 2)")
    parser.add_argument("--rates", default="250", help="completions/s offered in the open-loop runs, e.g. 100,150,200,250")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    raw = harness.raw_engine_per_completion()
    raw_summary = harness.summary(raw)
    raw_per_s = 2 / statistics.fmean(raw)  # two processes, as gunicorn's two workers
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for database in args.databases.split(","):
        for size in sizes:
            results.append(measure(database, size, args.seconds, args.clients, inbox=size == max(sizes),
                                   workers=args.workers,
                                   rates=tuple(sorted(float(r) for r in args.rates.split(",")))))
            print(json.dumps(results[-1]), flush=True)
    full_path = full_path_bytes(args.databases.split(",")[0])
    report = {"machine": harness.machine(), "raw_engine": raw_summary, "raw_engine_per_s_2_processes": raw_per_s,
              "results": results, "full_path_case": full_path, "clients": args.clients, "seconds": args.seconds,
              "workers": args.workers}

    print(f"\nmachine: {report['machine']}")
    print(f"raw SpiffWorkflow: mean {raw_summary['mean_ms']:.2f} ms, p50 {raw_summary['p50_ms']:.2f}, "
          f"p95 {raw_summary['p95_ms']:.2f}, p99 {raw_summary['p99_ms']:.2f} ms; {raw_per_s:.0f}/s on 2 processes")
    print("| database | stored cases | completions/s (×raw) | p50 ms (×raw) | p95 ms (×raw) | p99 ms (×raw) | bytes/case "
          "| CPU ms per completion: workers, database |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        load = r["load"]
        print(f"| {r['database']} | {r['size']:,} | {load['per_s']:.0f} ({load['per_s'] / raw_per_s:.2f}×) | "
              f"{load['p50_ms']:.1f} ({load['p50_ms'] / raw_summary['p50_ms']:.0f}×) | "
              f"{load['p95_ms']:.1f} ({load['p95_ms'] / raw_summary['p95_ms']:.0f}×) | "
              f"{load['p99_ms']:.1f} ({load['p99_ms'] / raw_summary['p99_ms']:.0f}×) | "
              f"{r['storage']['per_case']:,} | {load['worker_cpu_ms']:.2f}, {load['database_cpu_ms']:.2f} |")
    print("| database | stored cases | 2 clients (one per worker): completions/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        two = r["load_2_clients"]
        print(f"| {r['database']} | {r['size']:,} | {two['per_s']:.0f} | {two['p50_ms']:.1f} | {two['p95_ms']:.1f} | "
              f"{two['p99_ms']:.1f} |")
    print("| database | stored cases | offered /s | completed /s | p50 ms | p95 ms (×raw) | p99 ms | not 200 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for o in r["offered"]:
            print(f"| {r['database']} | {r['size']:,} | {o['rate']:.0f} | {o['per_s']:.0f} | {o['p50_ms']:.1f} | "
                  f"{o['p95_ms']:.1f} ({o['p95_ms'] / raw_summary['p95_ms']:.0f}×) | {o['p99_ms']:.1f} | "
                  f"{sum(n for code, n in o['statuses'].items() if code != 200)} |")
    for database in args.databases.split(","):
        mine = [r for r in results if r["database"] == database]
        if len(mine) > 1:
            print(f"{database}: {mine[-1]['size']:,} vs {mine[0]['size']:,} cases: throughput "
                  f"{mine[0]['load']['per_s'] / mine[-1]['load']['per_s']:.2f}× lower, p95 "
                  f"{mine[-1]['load']['p95_ms'] / mine[0]['load']['p95_ms']:.2f}×")
    for r in results:
        if "inbox" in r:
            inbox = r["inbox"]
            print(f"inbox on {r['database']} with {inbox['open_tasks']:,} open tasks: a page of {inbox['page_size']} "
                  f"(domain query) p50 {inbox['query']['p50_ms']:.2f} ms, p95 {inbox['query']['p95_ms']:.2f} ms "
                  f"({' / '.join(inbox['plan'])[:200]}); "
                  f"GET /api/v1/tasks?per_page=50 p95 {inbox['api_page']['p95_ms']:.1f} ms; "
                  f"GET /api/v1/tasks (every task, {inbox['api_full_list']['response_bytes']:,} bytes) "
                  f"p50 {inbox['api_full_list']['p50_ms']:.0f} ms")
    print(f"one case after all fifteen tasks: {full_path}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
