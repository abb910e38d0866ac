"""Named cross-field checks that need the case's data, referenced by a form's ``x-rules``.

Each takes (submitted data, case data) and returns {field: message} for what fails.
"""
from __future__ import annotations

POLICE_ALWAYS = {"violence", "threats"}


def police_report_required(data: dict, case: dict) -> dict[str, str]:
    """WAR 6: violence or threats are always reported to the police."""
    if POLICE_ALWAYS.intersection(case.get("behaviour_types") or ()) and data.get("report_to_police") is False:
        return {"report_to_police": "The incident involved violence or threats, so it must be reported to the police (WAR 6)."}
    return {}


RULES = {"police_report_required": police_report_required}
