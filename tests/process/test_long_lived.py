"""A strategy that runs for years: 1,000 contacts and 20 review cycles stay correct."""
from __future__ import annotations

import json

import pytest

from service.extensions import db
from service.models import Case

CONTACT = {"contact_date": "2026-03-02", "channel": "email", "summary": "Another message"}
REVIEWED = {"classification": ["same_matter_no_new_info"], "is_breach": False, "action_taken": "Logged"}


@pytest.mark.slow
def test_a_thousand_contacts_and_twenty_reviews(driver):
    driver.to_active_strategy()
    for cycle in range(20):
        for _ in range(50):
            driver.send("contact_received", CONTACT)
            driver.do("review_incoming_contact", "case_officer", REVIEWED)
        assert driver.case["stage"] == "strategy_active" and driver.ready == []
        driver.later(days=32)
        assert driver.ready == ["review_contact_strategy"], f"cycle {cycle}"
        driver.do("review_contact_strategy", "case_officer", {"still_appropriate": True, "outcome": "continue",
                                                              "review_interval": "P1M"})
        assert "review_due" in driver.waiting
    case = db.session.get(Case, driver.case["id"])
    state = json.loads(case.state)
    assert len(state["tasks"]) < 200, "finished contacts must not pile up in the task tree"
    reviews = driver.as_("supervisor").get(f"/api/v1/cases/{driver.case['id']}/audit").get_json()["items"]
    assert sum(1 for e in reviews if e["element_id"] == "review_incoming_contact") == 1000
    assert sum(1 for e in reviews if e["element_id"] == "review_contact_strategy") == 20
    driver.later(days=32)
    driver.do("review_contact_strategy", "case_officer", {"still_appropriate": False, "outcome": "end",
                                                          "review_interval": "P1M"})
    driver.do("notify_strategy_end", "case_officer", {"delivery": ["post"]})
    assert driver.case["outcome"] == "closed_strategy_ended"
