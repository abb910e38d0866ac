"""Every form rule of the process spec, accepted and refused, through the API."""
from __future__ import annotations

from process_driver import CONFIRMATIONS, INCIDENT, PROPOSAL


def test_call_end_note_required_when_the_call_was_ended(driver):
    officer = driver.as_("case_officer")
    refused = officer.post("/api/v1/cases", json={**INCIDENT, "call_ended": True})
    assert refused.status_code == 422 and "call_end_note" in refused.get_json()["fields"]
    not_a_call = officer.post("/api/v1/cases", json={**INCIDENT, "channel": "email", "call_ended": False})
    assert not_a_call.status_code == 422 and "channel" in not_a_call.get_json()["fields"]
    accepted = officer.post("/api/v1/cases", json={**INCIDENT, "call_ended": True, "call_end_note": "Ended at 10:02"})
    assert accepted.status_code == 201


def test_incident_date_not_in_the_future_and_known_values_only(driver):
    officer = driver.as_("case_officer")
    future = officer.post("/api/v1/cases", json={**INCIDENT, "incident_date": "2026-03-03"})
    assert future.status_code == 422 and "must be today or in the past" in future.get_json()["fields"]["incident_date"][0]
    unknown = officer.post("/api/v1/cases", json={**INCIDENT, "behaviour_types": ["rudeness"]})
    assert unknown.status_code == 422 and "behaviour_types.0" in unknown.get_json()["fields"]


def test_behaviour_not_unacceptable_allows_only_no_further_action(driver):
    driver.start()
    refused = driver.do("manager_review", "line_manager", {"behaviour_unacceptable": False,
                                                           "welfare_support_offered": True,
                                                           "decision": "address_behaviour", "rationale": "r"},
                        status=422)
    assert "no further action" in refused["fields"]["decision"][0]


def test_police_reference_required_when_reported(driver):
    driver.start(behaviour_types=["stalking"])
    refused = driver.do("consider_police_report", "independent_review_manager",
                        {"report_to_police": True, "rationale": "r"}, status=422)
    assert "police_reference" in refused["fields"]
    driver.do("consider_police_report", "independent_review_manager", {"report_to_police": False, "rationale": "r"})


def test_adjustments_required_when_needs_identified(driver):
    driver.start()
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": True,
                                                 "decision": "address_behaviour", "rationale": "r"})
    answers = {k: "yes" for k in ["process_explained", "handled_proportionately", "communicated_regularly",
                                  "support_offered", "rationale_given"]}
    refused = driver.do("check_underlying_causes", "case_officer",
                        {**answers, "additional_needs_identified": True}, status=422)
    assert "adjustments_required" in refused["fields"]


def test_review_interval_at_most_three_months_and_restrictions_needed(driver):
    driver.to_strategy_proposal()
    too_long = driver.do("propose_contact_strategy", "case_officer", {**PROPOSAL, "review_interval": "P6M"}, status=422)
    assert "review_interval" in too_long["fields"]
    none = driver.do("propose_contact_strategy", "case_officer", {**PROPOSAL, "restrictions": []}, status=422)
    assert "restrictions" in none["fields"]


def test_approval_needs_every_confirmation(driver):
    driver.to_strategy_proposal()
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "c"})
    refused = driver.do("authorise_contact_strategy", "authorising_officer",
                        {**CONFIRMATIONS, "communication_adequate": False, "decision": "approve", "comments": "c"},
                        status=422)
    assert refused["fields"]["communication_adequate"] == ["Approval needs every confirmation"]
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "communication_adequate": False, "decision": "return", "comments": "c"})


def test_amend_needs_the_changes(driver):
    driver.to_active_strategy()
    driver.later(days=32)
    refused = driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "amend",
                                                                    "review_interval": "P3M"}, status=422)
    assert "changes" in refused["fields"]
