"""Every letter of the spec as the PDF that is sent (issued as its task completes): its content, its
structure, its proof."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from helpers import OFFICE
from letter_support import letter_named, pdf_text
from service.domain.correspondence import letter_issue
from service.services import context

COMMON = [OFFICE["OFFICE_NAME"], "Police HQ", "AN1 2BC", "Sam Jones", "12 Elm Street", "AN3 4DE",
          "Our reference: B-0000", "Matter: OPCC-2026-17", "Yours sincerely"]

# What each letter must say (the spec's Letters section and the policies it cites).
REQUIRED = {
    "warning_letter": ["Warning about your contact with us", "Abuse of staff", "No abuse of our staff will be tolerated",
                       "A contact strategy"],
    "contact_strategy_letter": ["How we will manage your contact with us", "Repeated abusive calls",
                                "Contact with us must be by email", "OPCC-2026-17 only", "Write to the complaints team",
                                "999", "101", "Chief Executive", "review these arrangements by",
                                # CLE 9.7, WAR 7e: why it exists and what not keeping to it risks
                                "dealt with promptly and accurately", "could frustrate the handling",
                                # SCO 5.3: rights unaffected; the policy enclosed and named
                                "do not affect your right to make a complaint or to ask for a review",
                                "policy-on-managing-contact-summary.pdf",
                                # WAR 7.3: where to dispute it, by post and email
                                "3 Market Square", "AN1 7CE", "chief.executive@anyshire.example.org"],
    "breach_reminder_letter": ["A reminder of the arrangements for your contact", "did not follow the arrangements",
                               "Contact with us must be by email", "999",
                               "Why these arrangements are in place", "Repeated abusive calls"],  # the reasons again
    "dispute_outcome_letter": ["The outcome of your dispute", "The contact strategy stays in place", "Proportionate"],
    "strategy_change_letter": ["A change to how we will manage your contact", "Allow calls on Mondays"],
    "strategy_end_letter": ["The end of the arrangements for your contact", "have now ended"],
}


@pytest.fixture
def all_six(driver):
    """Two cases that between them produce every letter of the spec."""
    warned = driver.to_monitoring().case["id"]
    driver.to_active_strategy()
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Called 30 times"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": True, "escalate": False})
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "uphold", "reasons": "Proportionate"})
    driver.do("notify_dispute_outcome", "case_officer", {"delivery": ["post"]})
    driver.send("dispute_received", {"received_date": "2026-03-02", "grounds": "Still unfair"})
    driver.do("consider_dispute", "chief_executive", {"outcome": "vary", "reasons": "Allow calls on Mondays"})
    driver.do("set_new_terms", "case_officer", {"restrictions": [{"type": "scheduled_calls", "detail": "Mondays"}],
                                                "change_summary": "Allow calls on Mondays"})
    driver.do("authorise_amendment", "authorising_officer", {"decision": "approve", "comments": "ok"})
    driver.do("notify_strategy_change", "case_officer", {"delivery": ["post"]})
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": False, "outcome": "end",
                                                          "review_interval": "P3M"})
    driver.do("notify_strategy_end", "case_officer", {"delivery": ["post"]})
    return {"warning_letter": warned, **{name: driver.case["id"] for name in REQUIRED if name != "warning_letter"}}


def test_every_letter_is_a_tagged_pdf_with_what_it_must_say(all_six):
    for name, case_id in all_six.items():
        letter = letter_named(case_id, name)
        assert letter.status == "issued", name
        text = pdf_text(letter.pdf)
        for required in COMMON + REQUIRED[name]:
            assert required in text, f"{name}: {required!r} missing from the PDF"
        day = letter.issued_at
        assert f"Date: {day.day} {day:%B %Y}" in text  # dated the day it is issued
        reader = PdfReader(io.BytesIO(letter.pdf))
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root["/Lang"] == "en"
        assert reader.metadata.title == letter.title and reader.metadata.author == OFFICE["OFFICE_NAME"]


def test_the_issued_pdf_is_kept_with_its_fingerprint_and_proves_what_was_sent(driver):
    case_id = driver.to_monitoring().case["id"]
    letter = letter_named(case_id, "warning_letter")
    assert (letter.status, letter.issued_by, letter.channels) == ("issued", "case_officer", "post")
    assert letter.sha256 == __import__("hashlib").sha256(letter.pdf).hexdigest()
    assert letter_issue.matching(context(), letter.pdf).id == letter.id
    middle = len(letter.pdf) // 2
    tampered = letter.pdf[:middle] + bytes([letter.pdf[middle] ^ 1]) + letter.pdf[middle + 1:]  # one bit changed
    assert letter_issue.matching(context(), tampered) is None
    events = driver.as_("supervisor").get(f"/api/v1/cases/{case_id}/audit").get_json()["items"]
    issued = [e for e in events if e["action"] == "letter_issued"]
    assert len(issued) == 1 and issued[0]["actor"] == "case_officer"
    assert issued[0]["data"]["channels"] == ["post"] and issued[0]["data"]["sha256"] == letter.sha256


WARNING_DETAILS = {"correspondence_address": "Complaints Team\nPO Box 9\nAnytown AN1 9PO",
                   "signposted_services": "Citizens Advice Anyshire, 0300 123 4567",
                   "single_point_of_contact": "Jo Bloggs, jo.bloggs@anyshire.example.org"}


def test_the_warning_letter_gives_the_address_services_and_contact_it_asks_them_to_use(driver):
    driver.to_monitoring()  # one case, so the next one's warning task is its own
    driver.start()
    driver.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": False,
                                                 "decision": "address_behaviour", "rationale": "Pattern"})
    driver.do("check_underlying_causes", "case_officer", {**{k: "yes" for k in [
        "process_explained", "handled_proportionately", "communicated_regularly", "support_offered",
        "rationale_given"]}, "additional_needs_identified": False})
    asked = {"behaviour_summary": "Abuse of staff", "consequences": "A contact strategy", "delivery": ["post"],
             "requested_changes": ["correspondence_address", "signposting", "single_point_of_contact"]}
    refused = driver.do("issue_warning", "case_officer", asked, status=422)
    assert set(refused["fields"]) == set(WARNING_DETAILS)
    driver.do("issue_warning", "case_officer", {**asked, **WARNING_DETAILS})
    text = pdf_text(letter_named(driver.case["id"], "warning_letter").pdf)
    for required in ["PO Box 9", "Anytown AN1 9PO", "Citizens Advice Anyshire, 0300 123 4567",
                     "Jo Bloggs, jo.bloggs@anyshire.example.org"]:
        assert required in text, required
