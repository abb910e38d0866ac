"""Cost of a logged contact on a long-lived case: the 1st against the 1,000th.

    .venv/bin/python bench/long_lived_case.py [--contacts 1000]

Drives one case on the shipped workflows to an active contact strategy (SQLite
file database in a temporary folder), then logs contacts through the API
(message + review task) and reports the time and stored state size of the
first and last ones. Reuses the process tests' driver so the path is the one
the tests prove.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from helpers import CHECKOUT, make_app
from process.conftest import Driver
from service.extensions import db
from service.models import Case

CONTACT = {"contact_date": "2026-03-02", "channel": "email", "summary": "Another message"}
REVIEWED = {"classification": ["same_matter_no_new_info"], "is_breach": False, "action_taken": "Logged"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1000)
    args = parser.parse_args()
    app = make_app(Path(tempfile.mkdtemp()), workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms",
                   process="contact_management")
    timings, sizes = [], []
    with app.app_context():
        driver = Driver(app.test_client()).to_active_strategy()
        for _ in range(args.contacts):
            started = time.perf_counter()
            driver.send("contact_received", CONTACT)
            driver.do("review_incoming_contact", "case_officer", REVIEWED)
            timings.append((time.perf_counter() - started) * 1000)
            sizes.append(len(db.session.get(Case, driver.case["id"]).state))
            db.session.expire_all()
    first, last = statistics.median(timings[:10]), statistics.median(timings[-10:])
    print(f"contacts logged: {args.contacts}")
    print(f"first 10 (median): {first:.1f} ms per contact (message + review); state {sizes[0]} bytes")
    print(f"last 10 (median):  {last:.1f} ms per contact; state {sizes[-1]} bytes")
    print(f"ratio last/first: {last / first:.2f}")


if __name__ == "__main__":
    main()
