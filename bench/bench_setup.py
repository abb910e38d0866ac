"""What every benchmark shares: the checkout on sys.path (and tests/, for pg_server), the bench diagram's
names and data. Imported first by harness.py, so any bench module may import the service afterwards."""
from __future__ import annotations

import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CHECKOUT = BENCH.parent
FIXTURES = BENCH / "fixtures"
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(CHECKOUT / "tests"))  # pg_server: a throwaway PostgreSQL from the installed binaries

PROCESS = "bench_fifteen"
STEPS = 15
START = {"service_user_name": "Bench Person", "matter_reference": "B-0"}
STEP_DATA = {"outcome": "done", "notes": "Read the file and spoke to the person."}
SECRET = "bench-secret-" + "b" * 40
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
