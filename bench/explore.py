"""Run the process explorer (tests/process/test_explorer.py) with a large budget and new random paths.

The suite runs a bounded, fixed-seed explorer; this one is for hunting: e.g.
``.venv/bin/python bench/explore.py --examples 500 --steps 100`` (about 10 s per
example on a quiet machine), ``--postgres`` to run it on PostgreSQL. A failure
prints the shrunk steps and a ``@reproduce_failure`` blob to replay them.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="cases of random staff work to try (default 200)")
    parser.add_argument("--steps", type=int, default=80, help="steps per example at most (default 80)")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL server, not SQLite")
    args = parser.parse_args()
    os.environ["BOUNDARY_EXPLORE_EXAMPLES"] = str(args.examples)
    os.environ["BOUNDARY_EXPLORE_STEPS"] = str(args.steps)
    if args.postgres:
        os.environ["BOUNDARY_TEST_DB"] = "postgres"
    os.chdir(CHECKOUT)
    return pytest.main(["-q", "-s", "-p", "no:cacheprovider", "-m", "explore",
                        "tests/process/test_explorer.py::test_explorer_large"])


if __name__ == "__main__":
    sys.exit(main())
