"""The policy enclosed with a contact strategy letter (CLE 9.6, SCO 5.3: "enclose the policy").

An office points ``BOUNDARY_POLICY_PDF`` at its own policy; without one, a short
summary is drawn from ``templates/letters/_policy_summary.html`` with the office's
letterhead (nothing third-party is shipped). The letter names the enclosure and
the email carries it as a second attachment (``mail_delivery.build_message``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .letter_pdf import render_pdf
from .letters import POLICY_SUMMARY_NAME, render_summary

# Letters that enclose the policy.
ENCLOSED_WITH = frozenset({"contact_strategy_letter"})


@dataclass(frozen=True)
class Enclosure:
    file_name: str
    pdf: bytes


def encloses(letter_name: str) -> bool:
    return letter_name in ENCLOSED_WITH


def enclosure(settings: dict[str, Any]) -> Enclosure:
    """The policy as attached: the configured PDF, or the summary drawn from the template."""
    configured = settings.get("POLICY_PDF")
    if configured:
        path = Path(str(configured))
        if not path.is_file():
            raise ValueError(f"BOUNDARY_POLICY_PDF={path} is not a file")
        return Enclosure(path.name, path.read_bytes())
    return Enclosure(POLICY_SUMMARY_NAME, _summary(str(settings.get("OFFICE_NAME") or ""),
                                            str(settings.get("OFFICE_ADDRESS") or "")))


@lru_cache(maxsize=4)
def _summary(office_name: str, office_address: str) -> bytes:
    return render_pdf(render_summary({"OFFICE_NAME": office_name, "OFFICE_ADDRESS": office_address}))
