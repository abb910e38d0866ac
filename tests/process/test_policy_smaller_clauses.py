"""Issue #18 item 13: the smaller clauses, driven through the API on the shipped diagrams.

SCO 5.1: whether the matter is ongoing or concluded is recorded with the strategy, and an ongoing
matter keeps contact. WAR 1: "we cannot deal with this" closes the case with a signposting letter.
WM social media, WAR 6: posts deleted and accounts blocked are recorded with the grounds and who decided.
"""
from __future__ import annotations

from process_driver import CONFIRMATIONS, PROPOSAL

MANAGER = {"behaviour_unacceptable": True, "welfare_support_offered": True, "rationale": "r"}
SIGNPOST = {"matter_summary": "A complaint about a police officer's conduct",
            "why_not_ours": "Complaints about officers are for the Chief Constable's Professional Standards "
                            "Department.",
            "signposted_to": "Professional Standards Department, telephone 101", "delivery": ["email"]}
POST = {"posted_on": "2026-03-01", "platform": "facebook", "account": "sam.j.1990",
        "content_summary": "Named a member of staff and her home street"}


def _audit(driver) -> list[dict]:
    return driver.as_("supervisor").get(f"/api/v1/cases/{driver.case['id']}/audit").get_json()["items"]


# -- SCO 5.1: ongoing or concluded ------------------------------------------------------------------
def test_the_strategy_records_whether_the_matter_is_ongoing_and_an_ongoing_one_keeps_contact(driver):
    driver.to_strategy_proposal()
    left_out = {k: v for k, v in PROPOSAL.items() if k != "matter_status"}
    refused = driver.do("propose_contact_strategy", "case_officer", left_out, status=422)
    assert "matter_status" in refused["fields"]
    ending = {**PROPOSAL, "restrictions": [{"type": "no_further_engagement"}]}
    refused = driver.do("propose_contact_strategy", "case_officer", ending, status=422)
    message = refused["fields"]["restrictions"][0]
    assert "SCO 5.1" in message and "No further engagement" in message
    driver.do("propose_contact_strategy", "case_officer", {**ending, "matter_status": "concluded"})
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "ok"})
    driver.do("authorise_contact_strategy", "authorising_officer", {**CONFIRMATIONS, "decision": "approve",
                                                                    "comments": "ok"})
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post"], "agreement_sought": False})
    assert "is concluded: a final decision has been made" in driver.letters()["contact_strategy_letter"]


def test_an_ongoing_matter_is_said_to_continue_in_the_strategy_letter(driver):
    driver.to_active_strategy()  # the driver's proposal: an ongoing matter
    assert "we will keep in contact with you about it" in driver.letters()["contact_strategy_letter"]


# -- WAR 1: we cannot deal with this -----------------------------------------------------------------
def test_a_matter_we_cannot_deal_with_closes_with_a_signposting_letter(driver):
    driver.start()
    driver.do("manager_review", "line_manager", {**MANAGER, "decision": "signpost"})
    assert driver.ready == ["signpost_person"]
    driver.do("signpost_person", "case_officer", SIGNPOST)
    assert (driver.case["status"], driver.case["outcome"]) == ("closed", "closed_signposted")
    letter = driver.letters()["signposting_letter"]
    for said in ("We cannot deal with this matter", "Professional Standards Department, telephone 101",
                 "Complaints about officers are for the Chief Constable"):
        assert said in letter, said


def test_signposting_is_open_even_when_the_behaviour_was_acceptable(driver):
    driver.start()
    driver.do("manager_review", "line_manager", {**MANAGER, "behaviour_unacceptable": False, "decision": "signpost"})
    driver.do("signpost_person", "case_officer", SIGNPOST)
    assert driver.case["outcome"] == "closed_signposted"


# -- WM social media, WAR 6: posts deleted, accounts blocked -----------------------------------------
def test_a_social_media_post_is_recorded_with_what_was_done_why_and_who_decided(driver):
    driver.start()  # at any stage of an open case
    assert "social_media_post" in driver.waiting
    driver.send("social_media_post", POST)
    assert driver.ready == ["manager_review", "moderate_social_media"]
    refused = driver.do("moderate_social_media", "case_officer", {"action": "post_deleted"}, status=422)
    assert "grounds" in refused["fields"]  # a deletion says why
    driver.do("moderate_social_media", "case_officer", {"action": "post_deleted_account_blocked",
                                                        "grounds": ["reveals_personal_details", "personal_attack"],
                                                        "linked_accounts_blocked": True})
    assert driver.ready == ["manager_review"] and driver.case["stage"] == "manager_review"
    decided = [e for e in _audit(driver) if e["element_id"] == "moderate_social_media"]
    assert len(decided) == 1 and decided[0]["actor"] == "case_officer"
    assert decided[0]["data"]["action"] == "post_deleted_account_blocked"
    assert decided[0]["data"]["grounds"] == ["reveals_personal_details", "personal_attack"]
    received = [e for e in _audit(driver) if e["action"] == "message_received"]
    assert received[-1]["data"]["payload"]["account"] == "sam.j.1990"


def test_social_media_posts_are_taken_during_a_strategy_and_refused_once_the_case_is_closed(driver):
    driver.to_active_strategy()
    driver.send("social_media_post", POST)
    driver.do("moderate_social_media", "case_officer", {"action": "left_in_place"})
    assert driver.ready == [] and driver.case["stage"] == "strategy_active"
    driver.start()
    driver.do("manager_review", "line_manager", {**MANAGER, "decision": "no_further_action"})
    assert driver.case["status"] == "closed"
    driver.send("social_media_post", POST, status=409)
