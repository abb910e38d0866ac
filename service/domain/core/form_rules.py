"""Named cross-field checks that need the case's data, referenced by a form's ``x-rules``.

Each takes (submitted data, case data) and returns {field: message} for what fails.
"""
from __future__ import annotations

from typing import Any

POLICE_ALWAYS = {"violence", "threats"}
# Threatening, violent or abusive behaviour: the only kind that may skip the warning (CLE 4.6, SCO 3.5.1).
STRAIGHT_TO_STRATEGY = {"threats", "violence", "intimidation", "harassment", "stalking", "verbal_abuse",
                        "discriminatory_remarks"}


def police_report_required(data: dict[str, Any], case: dict[str, Any]) -> dict[str, str]:
    """WAR 6: violence or threats are always reported to the police.

    ``police_concern`` holds the behaviour of the event being considered (the first
    incident, a further incident, or a contact's classification); older cases have
    only the first incident's ``behaviour_types``.
    """
    concern = case.get("police_concern", case.get("behaviour_types")) or ()
    if POLICE_ALWAYS.intersection(concern) and data.get("report_to_police") is False:
        return {"report_to_police": "The incident involved violence or threats, so it must be reported to the police (WAR 6)."}
    return {}


def warning_first(data: dict[str, Any], case: dict[str, Any]) -> dict[str, str]:
    """CLE 9.1, 4.6, SCO 3.5.1: a warning comes first unless the behaviour threatened, harmed or abused."""
    if data.get("decision") == "contact_strategy_now" and not STRAIGHT_TO_STRATEGY.intersection(
            case.get("behaviour_types") or ()):
        return {"decision": "Go straight to a contact strategy only for threatening, violent or abusive behaviour "
                            "(CLE 4.6, SCO 3.5.1). This incident was none of these, so choose 'Address the "
                            "behaviour': the person is warned first (CLE 9.1)."}
    return {}


def review_acts_on_findings(data: dict[str, Any], case: dict[str, Any]) -> dict[str, str]:
    """CLE 9.12, WAR 7.1: a strategy found no longer appropriate is amended or ended, not continued."""
    if data.get("still_appropriate") is False and data.get("outcome") == "continue":
        return {"outcome": "You found the strategy no longer appropriate, so it cannot simply continue: choose "
                           "'Amend it' or 'End it' (CLE 9.12)."}
    return {}


# Restrictions that end contact about the matter: only for a concluded one (SCO 5.1).
ENDS_CONTACT = {"no_further_engagement": "No further engagement", "log_without_response": "Log contact without replying",
                "no_reopen_closed_matter": "Closed matters are not reopened"}


def ongoing_matter_keeps_contact(data: dict[str, Any], case: dict[str, Any]) -> dict[str, str]:
    """SCO 5.1: where the matter is still ongoing there must be continuing contact with the person."""
    if data.get("matter_status") != "ongoing":
        return {}
    ending = [ENDS_CONTACT[r["type"]] for r in data.get("restrictions") or []
              if isinstance(r, dict) and r.get("type") in ENDS_CONTACT]
    if not ending:
        return {}
    return {"restrictions": f"The matter is ongoing, so contact about it must continue (SCO 5.1): remove "
                            f"{', '.join(repr(e) for e in ending)}, or record the matter as concluded once a "
                            f"final decision has been made."}


RULES = {"police_report_required": police_report_required, "warning_first": warning_first,
         "review_acts_on_findings": review_acts_on_findings,
         "ongoing_matter_keeps_contact": ongoing_matter_keeps_contact}
