"""Extract the policy clauses Boundary cites (task documentation, form hints) into a product file.

Run ``.venv/bin/python tools/build_policy_clauses.py`` after a policy or a citation changes; the
output, ``service/domain/core/policy_clauses.json``, is committed. The policies themselves live outside
the product (``../shared/policies``); the clause index carries the cited text so the /policies page
can show each clause to staff (docs/policy-map.md says which step implements which clause).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT.parent / "shared" / "policies"
OUT = ROOT / "service" / "domain" / "core" / "policy_clauses.json"
CITED = re.compile(r"\b(CLE|SCO|WAR|WM) (\d+(?:\.\d+)*)")
SOURCES = {"CLE": "cleveland-opcc-managing-service-user-contact.md",
           "SCO": "staffordshire-commissioner-unreasonable-persistent-contact.md",
           "WAR": "warwickshire-opcc-managing-public-contact.md",
           "WM": "west-midlands-opcc-challenging-behaviour-contact-plans.md"}
TITLES = {"CLE": "Cleveland OPCC: Managing Service User Contact Policy",
          "SCO": "Staffordshire Commissioner: Managing Unreasonable and Persistent Contact and Unacceptable Behaviour",
          "WAR": "Warwickshire OPCC: Managing Public Contact",
          "WM": "West Midlands OPCC: Managing Challenging Behaviour and Contact Plans Policy"}
CLAUSE = re.compile(r"^\s*(?:-\s*)?(?:#+\s*)?\**(\d+(?:\.\d+)*)\.?\**\s+(.*\S)")
SUB_ITEM = re.compile(r"^\s*-?\s*(\d)\)\s+(.*\S)")  # West Midlands: "4. ... - 1) ..." is WM 4.1


def clauses(text: str) -> dict[str, str]:
    """Number -> its text (heading or paragraph, and what follows until the next number)."""
    found: dict[str, list[str]] = {}
    current, section = None, None
    for line in text.splitlines():
        match = CLAUSE.match(line)
        sub = SUB_ITEM.match(line)
        if match and not re.match(r"^\d+\s+\S.*\.\s*\d+$", line.strip()):  # not a contents line
            current = match.group(1)
            section = current if "." not in current else section
            if "." not in current:
                found[current] = []  # a section's heading again, after the contents list: the body wins
            found.setdefault(current, []).append(match.group(2))
        elif sub and section:
            current = f"{section}.{sub.group(1)}"
            found.setdefault(current, []).append(sub.group(2))
        elif current and line.strip() and not line.startswith("#"):
            found[current].append(line.strip(" -\t"))
    return {number: _clean(" ".join(parts)) for number, parts in found.items()}


def _clean(text: str) -> str:
    text = re.sub(r"\*\*|\*", "", text)
    return re.sub(r"\s+", " ", text).strip()[:1200]


def cited() -> set[tuple[str, str]]:
    sources = [ROOT / "tools" / "build_workflows.py", *sorted((ROOT / "forms").rglob("*.json"))]
    return {(m.group(1), m.group(2)) for path in sources for m in CITED.finditer(path.read_text())}


def main() -> None:
    index = {}
    parsed = {code: clauses((POLICIES / name).read_text()) for code, name in SOURCES.items()}
    for code, number in sorted(cited(), key=lambda c: (c[0], [int(n) for n in c[1].split(".")])):
        text = parsed[code].get(number)
        if text is not None and "." not in number:  # a whole section: its heading and every clause in it
            text = " ".join([text, *(t for n, t in parsed[code].items() if n.startswith(number + "."))])
        if text is None:
            raise SystemExit(f"{code} {number} is cited but not found in {SOURCES[code]}")
        index[f"{code} {number}"] = {"policy": code, "text": text}
    OUT.write_text(json.dumps({"policies": TITLES, "clauses": index}, indent=1, ensure_ascii=False) + "\n")
    print("wrote", OUT, len(index), "clauses")


if __name__ == "__main__":
    main()
