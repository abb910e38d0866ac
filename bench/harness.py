"""What the benchmarks share: databases, bulk-stored cases, gunicorn, load clients, the raw-engine baseline.

Nothing here is timed by the test suite; the scripts in bench/ print figures
for docs/performance.md. Every server listens on 127.0.0.1 only.

Stored cases are made quickly: a few template cases are started and moved
through the diagram with the service's own domain calls (one template per
position, 0..14 tasks done), then cloned row by row with fresh engine task
ids, so the database holds N realistic cases (state, task rows, audit rows)
in seconds rather than hours.
"""
from __future__ import annotations

from bench_setup import BENCH, CHECKOUT, FIXTURES, PROCESS, SECRET, START, STEP_DATA, STEPS, UUID_RE
from engine_baseline import raw_engine_per_completion
from load_clients import Run, drive_http, drive_open_loop, drive_test_client, machine, percentile, request, summary
from servers import Gunicorn, child_pids, cpu_seconds, database_server_pids, free_port
from stored_cases import (
                          database_url,
                          issue_token,
                          make_service_app,
                          populate,
                          prepare_schema,
                          ready_tasks,
                          settings_for,
                          stored_bytes,
)

# The scripts read everything as ``harness.<name>``; each lives in the module named above.
__all__ = ["BENCH", "CHECKOUT", "FIXTURES", "PROCESS", "SECRET", "START", "STEPS", "STEP_DATA", "UUID_RE",
           "Gunicorn", "Run", "child_pids", "cpu_seconds", "database_server_pids", "database_url", "drive_http",
           "drive_open_loop", "drive_test_client", "free_port", "issue_token", "machine", "make_service_app",
           "percentile", "populate", "prepare_schema", "raw_engine_per_completion", "ready_tasks", "request",
           "settings_for", "stored_bytes", "summary"]
