"""The policy clauses Boundary cites, with their text, so staff can read what a code such as
CLE 9.6 asks of them. ``policy_clauses.json`` is built from the policies by
``tools/build_policy_clauses.py`` (it holds every clause a diagram or form cites)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

INDEX = Path(__file__).with_name("policy_clauses.json")


@dataclass(frozen=True)
class Clause:
    code: str  # "CLE 9.6"
    policy: str  # the policy's title
    text: str

    @property
    def anchor(self) -> str:
        return anchor(self.code)


def anchor(code: str) -> str:
    """The clause's id on the policies page: "CLE 9.6" -> "cle-9-6"."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


@lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    index: dict[str, Any] = json.loads(INDEX.read_text(encoding="utf-8"))
    return index


def by_policy() -> list[tuple[str, list[Clause]]]:
    """(policy title, its cited clauses in order) for each policy."""
    index = _index()
    return [(title, [clause for clause in all_clauses() if clause.code.split()[0] == code])
            for code, title in index["policies"].items()]


def all_clauses() -> list[Clause]:
    index = _index()
    return [Clause(code, index["policies"][entry["policy"]], entry["text"]) for code, entry in index["clauses"].items()]


def known(code: str) -> bool:
    return code in _index()["clauses"]
