"""The role keys of the process spec. A lane is named after a role."""
from __future__ import annotations

import re

ROLES: dict[str, str] = {
    "case_officer": "Case Officer",
    "line_manager": "Line Manager",
    "business_support_lead": "Business Support Team Leader",
    "independent_review_manager": "Independent Review Manager",
    "authorising_officer": "Authorising Officer",
    "equality_adviser": "Equality and Diversity Adviser",
    "dpo": "Data Protection Officer",
    "chief_executive": "Chief Executive",
    "supervisor": "Supervisor",
    "process_owner": "Process Owner",
    "admin": "Administrator",
}

# Roles that watch or administer and never hold a task lane.
NON_TASK_ROLES = frozenset({"supervisor", "process_owner", "admin"})
_TITLE_TO_KEY = {title.lower(): key for key, title in ROLES.items()}


def role_for_lane(lane: str | None) -> str | None:
    """The role key a lane stands for: its key (``line_manager``), its title
    (``Line Manager``) or the title as words (``Line manager``); else None."""
    if not lane:
        return None
    text = " ".join(lane.split())
    if text in ROLES:
        return text
    if text.lower() in _TITLE_TO_KEY:
        return _TITLE_TO_KEY[text.lower()]
    key = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return key if key in ROLES else None
