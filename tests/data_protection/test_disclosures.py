"""Partner sharing approved by the DPO leaves a disclosure record: what, to whom, on what basis."""
from __future__ import annotations

import re

from service.domain.data_protection import disclosures
from service.extensions import db
from web_support import Staff, main_text


def test_approved_sharing_is_recorded_and_refused_sharing_is_not(driver, letters_app):
    case_id = driver.to_active_strategy().case["id"]
    driver.send("partner_sharing_requested", {"agency": "Anytown Council", "purpose": "Safeguarding review"})
    driver.do("dpo_consultation", "dpo", {"decision": "refuse"})
    assert disclosures.of_case(db.session, case_id) == []
    driver.send("partner_sharing_requested", {"agency": "Anyshire Police", "purpose": "Risk to staff"})
    driver.do("dpo_consultation", "dpo", {"decision": "approve", "legal_basis": "risk_to_life",
                                          "conditions": "Not to be passed on"})
    driver.do("record_partner_sharing", "case_officer", {"shared_on": "2026-03-01", "details_shared": "Address, phone"})
    [shared] = disclosures.of_case(db.session, case_id)
    assert (shared.agency, shared.purpose, shared.legal_basis, shared.conditions) == (
        "Anyshire Police", "Risk to staff", "risk_to_life", "Not to be passed on")
    assert (shared.shared_on.isoformat(), shared.details_shared, shared.approved_by, shared.recorded_by) == (
        "2026-03-01", "Address, phone", "dpo", "case_officer")
    events = driver.as_("supervisor").get(f"/api/v1/cases/{case_id}/audit").get_json()["items"]
    assert [e["data"] for e in events if e["action"] == "disclosure_recorded"] == [
        {"agency": "Anyshire Police", "legal_basis": "risk_to_life"}]

    db.session.remove()  # the pages below use their own sessions
    page = Staff(letters_app, "case_officer").get(f"/cases/{case_id}").text
    section = re.sub(r"<[^>]+>", " ", re.search(r'id="disclosures".*?</table>', page, re.S).group(0))
    assert "Anyshire Police" in section and "risk to life" in section and "Address, phone" in section
    assert "Anytown Council" not in section  # refused: nothing was shared
    register = Staff(letters_app, "dpo").get("/data-protection/disclosures")
    assert register.status_code == 200 and "Anyshire Police" in main_text(register)
    assert Staff(letters_app, "case_officer").get("/data-protection/disclosures").status_code == 403
