"""docs/policy-map.md stays honest: every test it cites exists, and every row says how the clause is
carried and proved, or why it is out of scope."""
from __future__ import annotations

import re

from helpers import CHECKOUT

MAP = CHECKOUT / "docs" / "policy-map.md"
TESTS = CHECKOUT / "tests"


def _defined() -> set[str]:
    return {name for path in TESTS.rglob("test_*.py")
            for name in re.findall(r"^\s*def (test_\w+)\(", path.read_text(), re.MULTILINE)}


def _rows() -> list[list[str]]:
    rows = []
    for line in MAP.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and cells[0] not in ("clause", "---"):
            rows.append(cells)
    return rows


def test_every_test_the_policy_map_cites_exists():
    cited = set(re.findall(r"`(?:[\w/.]+::)?(test_\w+)`", MAP.read_text()))
    assert len(cited) > 40, cited
    assert not cited - _defined(), f"docs/policy-map.md cites tests that do not exist: {sorted(cited - _defined())}"


def test_every_clause_row_is_proved_or_says_why_not():
    rows = _rows()
    assert len(rows) > 80, len(rows)
    for clause, _, carried, proved in rows:
        if proved == "—":
            assert carried.startswith(("out of scope", "partly")), f"{clause}: no test and no reason given"
        else:
            assert re.search(r"`test_\w+`", proved), f"{clause}: 'proved by' names no test: {proved}"


def test_the_map_covers_every_clause_the_process_spec_cites():
    """Every clause a shipped diagram's documentation cites has a row (the map is not only the carried ones,
    but it is at least those)."""
    mapped = " ".join(row[0] for row in _rows())
    cited = set()
    for path in (CHECKOUT / "workflows").glob("*.bpmn"):
        cited |= set(re.findall(r"\b(CLE|SCO|WAR|WM) (\d+(?:\.\d+)*)", path.read_text()))
    missing = [f"{p} {n}" for p, n in sorted(cited) if not _covered(p, n, mapped)]
    assert not missing, f"clauses cited in the diagrams but missing from docs/policy-map.md: {missing}"


def _covered(policy: str, number: str, mapped: str) -> bool:
    if re.search(rf"\b{policy} {re.escape(number)}\b", mapped):
        return True
    for first, last in re.findall(rf"\b{policy} (\d+(?:\.\d+)*)–(\d+(?:\.\d+)*)", mapped):  # a range: CLE 7.2–7.3
        head, tail = first.rsplit(".", 1) if "." in first else ("", first)
        if number.startswith(head) and "." in number and head:
            if float(tail) <= float(number.rsplit(".", 1)[1]) <= float(last.rsplit(".", 1)[-1]):
                return True
        elif not head and first <= number.split(".")[0] <= last:
            return True
    return policy == "WAR" and re.search(rf"\bWAR {re.escape(number.split('.')[0])} \(", mapped) is not None
