"""Issue #2's benchmark: what the service adds to the engine, per completion.

For the fifteen-user-task diagram (bench/fixtures/fifteen_tasks.bpmn):

- raw SpiffWorkflow: load JSON -> complete the ready task -> save JSON, per
  completion (with the spec handed in, the strict baseline; and Spiff's stock
  serializer, which embeds the spec in every dump);
- the service's completion through the API: Flask's test client (one at a
  time) and a real gunicorn with 2 workers (one client, so the latency is
  one completion's; and 2 clients, for the throughput view);

at 1,000 and 10,000 stored cases (``--sizes``), each size in a fresh database.
Target: the service within 2x the raw engine, and the same at 10k as at 1k.

    .venv/bin/python bench/completion_ratio.py [--database sqlite|postgres] [--sizes 1000,10000]
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import harness


def measure(database: str, size: int, completions: int, seconds: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="boundary-bench-"))
    url = harness.database_url(database, folder)
    app = harness.make_service_app(url)
    harness.prepare_schema(app)
    began = time.perf_counter()
    harness.populate(app, size)
    populated = time.perf_counter() - began
    token = harness.issue_token(app)
    targets = harness.ready_tasks(app)
    # Disjoint tasks for each way of measuring, so each completes a ready task.
    share = len(targets) // 3
    client_targets, single_targets, pair_targets = targets[:share], targets[share:2 * share], targets[2 * share:]
    test_client = harness.drive_test_client(app, token, client_targets, completions)
    with app.app_context():
        from service.extensions import db
        db.session.remove()
        db.engine.dispose()
    server = harness.Gunicorn(url, workers=2)
    try:
        single = harness.drive_http(server.port, token, single_targets, clients=1, seconds=seconds)
        pair = harness.drive_http(server.port, token, pair_targets, clients=2, seconds=seconds)
    finally:
        server.stop()
    shutil.rmtree(folder, ignore_errors=True)
    return {"size": size, "populate_s": round(populated, 1), "test_client": harness.summary(test_client.latencies),
            "gunicorn_1_client": {**harness.summary(single.latencies), "per_s": round(single.per_second, 1)},
            "gunicorn_2_clients": {**harness.summary(pair.latencies), "per_s": round(pair.per_second, 1)},
            "statuses": {"test_client": test_client.statuses, "gunicorn_1": single.statuses,
                         "gunicorn_2": pair.statuses}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres (a throwaway server) or a URL")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--completions", type=int, default=400, help="test-client completions per size")
    parser.add_argument("--seconds", type=float, default=8.0, help="gunicorn run length per mode")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    raw = harness.summary(harness.raw_engine_per_completion())
    raw_stock = harness.summary(harness.raw_engine_per_completion(rounds=15, embedded_spec=True))
    results = [measure(args.database, int(size), args.completions, args.seconds) for size in args.sizes.split(",")]
    report = {"machine": harness.machine(), "database": args.database, "raw_engine": raw,
              "raw_engine_stock_serializer": raw_stock, "results": results}

    base = raw["mean_ms"]
    print(f"machine: {report['machine']}; database: {args.database}")
    print(f"raw SpiffWorkflow, spec by reference: mean {base:.2f} ms, p95 {raw['p95_ms']:.2f} ms per completion")
    print(f"raw SpiffWorkflow, stock serializer (spec in every dump): mean {raw_stock['mean_ms']:.2f} ms")
    print("| stored cases | test client mean (×raw) | gunicorn 1 client mean (×raw) | p95 | gunicorn 2 clients /s |")
    print("|---:|---:|---:|---:|---:|")
    for r in results:
        tc, g1, g2 = r["test_client"], r["gunicorn_1_client"], r["gunicorn_2_clients"]
        print(f"| {r['size']:,} | {tc['mean_ms']:.2f} ms ({tc['mean_ms'] / base:.1f}×) | "
              f"{g1['mean_ms']:.2f} ms ({g1['mean_ms'] / base:.1f}×) | {g1['p95_ms']:.2f} ms | {g2['per_s']:.0f} |")
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"flatness {last['size']:,} vs {first['size']:,}: test client "
              f"{last['test_client']['mean_ms'] / first['test_client']['mean_ms']:.2f}×, gunicorn "
              f"{last['gunicorn_1_client']['mean_ms'] / first['gunicorn_1_client']['mean_ms']:.2f}×")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
