"""Issue #19 item 2: what the diagram-code budget costs per evaluation and per completion.

Compares the budgeted sandbox (``service/engine/sandbox.py``) with the sandbox
as it was before the budget (read from git, ``--before`` revision), in-process
and engine-only, so the database does not drown the difference:

- one condition (``decision == "approve"``) evaluated, per call;
- a case on the fixture diagram driven through its two user tasks (the
  gateway's two conditions and the timer expression run), per completion,
  loading and dumping the state each time as the service does.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT))

from service.engine import runtime, sandbox
from service.engine.loader import load_bundle

START = {"service_user_name": "A", "matter_reference": "M", "incident_date": "2026-03-01", "wait_period": "P1D"}


def old_sandbox(revision: str):
    source = subprocess.run(["git", "show", f"{revision}:service/engine/sandbox.py"], cwd=CHECKOUT, check=True,
                            capture_output=True, text=True).stdout
    path = Path("/tmp") / f"boundary_sandbox_{revision.replace('/', '_')}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_sandbox", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def per_evaluation(module, rounds: int) -> float:
    env = module.RestrictedEnvironment()
    data = {"decision": "approve", "behaviour_types": ["threats"]}
    env.evaluate('decision == "approve"', data)
    started = time.perf_counter()
    for _ in range(rounds):
        env.evaluate('decision == "approve"', data)
    return (time.perf_counter() - started) / rounds * 1e6


def per_completion(module, cases: int) -> float:
    runtime.make_script_engine = module.make_script_engine
    bundle = load_bundle({"simple.bpmn": (CHECKOUT / "tests/fixtures/workflows/simple.bpmn").read_bytes()})
    completions, started = 0, time.perf_counter()
    for _ in range(cases):
        state = runtime.CaseRun.start(bundle, START).dump()
        for data in ({"notes": "n"}, {"decision": "approve"}):
            run = runtime.CaseRun.load(bundle, state)
            run.complete(run.ready_tasks()[0].id, data)
            state = run.dump()
            completions += 1
    return (time.perf_counter() - started) / completions * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="main", help="git revision of the sandbox without the budget")
    parser.add_argument("--rounds", type=int, default=20000, help="evaluations timed")
    parser.add_argument("--cases", type=int, default=300, help="cases driven through both tasks")
    parser.add_argument("--repeats", type=int, default=5, help="best of this many runs")
    args = parser.parse_args()
    before = old_sandbox(args.before)
    modules = {"before (no budget)": before, "with the budget": sandbox}
    best = {name: [float("inf"), float("inf")] for name in modules}
    for _ in range(args.repeats):  # interleaved, best of each: the machine's other load drifts
        for name, module in modules.items():
            best[name][0] = min(best[name][0], per_evaluation(module, args.rounds))
            best[name][1] = min(best[name][1], per_completion(module, args.cases))
    rows = [(name, *figures) for name, figures in best.items()]
    print("| sandbox | one condition (µs) | one completion, engine only (ms) |\n|---|---:|---:|")
    for name, evaluation, completion in rows:
        print(f"| {name} | {evaluation:.1f} | {completion:.3f} |")
    print(f"\nbudget: +{rows[1][1] - rows[0][1]:.1f} µs per evaluation, "
          f"+{rows[1][2] - rows[0][2]:.3f} ms per completion")


if __name__ == "__main__":
    main()
