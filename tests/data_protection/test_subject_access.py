"""A DPO exports everything held about one person, across cases, as a ZIP of JSON and PDFs."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from letter_support import letter_named
from process_driver import Driver
from service.domain.data_protection import subject_access
from service.domain.people.users import find_user
from service.errors import Forbidden
from service.extensions import db
from service.models import AuditEvent
from web_support import Staff, csrf, main_text


@pytest.fixture
def held(letters_app):
    """Two cases about Sam Jones (one under another spelling, same reference), one about someone else."""
    first = Driver(letters_app.test_client()).to_active_strategy(service_user_reference="SU-1")
    first.send("contact_received", {"contact_date": "2026-03-02", "channel": "email", "summary": "Asked again"})
    first.send("partner_sharing_requested", {"agency": "Anyshire Police", "purpose": "Risk"})
    first.do("dpo_consultation", "dpo", {"decision": "approve", "legal_basis": "prevention_of_crime"})
    first.do("record_partner_sharing", "case_officer", {"shared_on": "2026-03-02", "details_shared": "Phone number"})
    letter = letter_named(first.case["id"], "contact_strategy_letter")  # issued with its task
    kept = {"pdf": letter.pdf, "sha256": letter.sha256}
    second = Driver(letters_app.test_client()).start(service_user_name="Samuel Jones", service_user_reference="SU-1")
    other = Driver(letters_app.test_client()).start(service_user_name="Alex Other", description="Someone else")
    db.session.remove()
    return {"first": first.case["id"], "second": second.case["id"], "other": other.case["id"], **kept}


def test_the_dpo_finds_the_persons_cases_and_downloads_everything_held(letters_app, held):
    dpo = Staff(letters_app, "dpo")
    page = dpo.get("/data-protection/subject-access")
    found = dpo.client.post("/data-protection/subject-access", data={
        "service_user_name": "sam JONES ", "service_user_reference": "su-1", "csrf_token": csrf(page)})
    text = main_text(found)
    assert "2 cases found" in text and "Alex Other" not in text
    response = dpo.client.post("/data-protection/subject-access/export",
                               data={"case_ids": [held["first"], held["second"]], "note": "Letter of 1 March",
                                     "csrf_token": csrf(found)})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    first, second = f"case-{held['first']}", f"case-{held['second']}"
    names = set(archive.namelist())
    for name in ["case.json", "answers.json", "contact-details.json", "contact-log.json", "letters.json", "emails.json",
                 "disclosures.json", "audit-record.json"]:
        assert f"{first}/{name}" in names and f"{second}/{name}" in names

    def read(name: str) -> dict:
        return json.loads(archive.read(f"{first}/{name}"))

    assert read("case.json")["person"] == "Sam Jones"
    assert read("contact-details.json")[0]["email"] == "sam@example.org"  # held once for the case
    assert json.loads(archive.read(f"{second}/case.json"))["person"] == "Samuel Jones"
    assert any(a["answers"].get("description") == "Shouted at the officer." for a in read("answers.json"))
    assert [c["summary"] for c in read("contact-log.json")] == ["Asked again"]
    [sent] = [item for item in read("letters.json") if item["status"] == "issued"]
    assert sent["sha256"] == held["sha256"] and sent["postal_address"].startswith("12 Elm Street\n")
    assert archive.read(f"{first}/letters/{sent['id']}-contact_strategy_letter.pdf") == held["pdf"]
    assert [e["to_address"] for e in read("emails.json")] == ["sam@example.org"]
    assert [(d["agency"], d["legal_basis"]) for d in read("disclosures.json")] == [("Anyshire Police",
                                                                                     "prevention_of_crime")]
    assert "subject_access_export" in {e["action"] for e in read("audit-record.json")}
    readme = archive.read("README.txt").decode()
    assert "Sam Jones" in readme and "Letter of 1 March" in readme and "Demo Data Protection Officer" in readme
    assert not any(name.startswith(f"case-{held['other']}/") for name in names)
    with letters_app.app_context():
        exports = db.session.query(AuditEvent).filter_by(action="subject_access_export").all()
        assert sorted((e.case_id, e.actor, e.data["note"]) for e in exports) == [
            (held["first"], "dpo", "Letter of 1 March"), (held["second"], "dpo", "Letter of 1 March")]


def test_only_the_dpo_may_export_and_a_search_needs_a_name_or_reference(letters_app, held):
    assert Staff(letters_app, "supervisor").get("/data-protection/subject-access").status_code == 403
    dpo = Staff(letters_app, "dpo")
    page = dpo.client.post("/data-protection/subject-access", data={
        "service_user_name": "", "service_user_reference": "", "csrf_token": csrf(dpo.get("/data-protection/subject-access"))})
    assert "Enter the person&#39;s full name or their reference" in main_text(page) and "govuk-error-summary" in page.text


def test_the_name_searched_for_never_reaches_a_url(letters_app, held):
    """Issue #19, item 9: the search is a POST, so the access log never holds the person's name."""
    dpo = Staff(letters_app, "dpo")
    page = dpo.get("/data-protection/subject-access")
    assert '<form method="post" novalidate>' in page.text
    found = dpo.client.post("/data-protection/subject-access", data={
        "service_user_name": "Sam Jones", "service_user_reference": "", "csrf_token": csrf(page)})
    assert "1 case found" in main_text(found) or "cases found" in main_text(found)
    assert dpo.get("/data-protection/subject-access?service_user_name=Sam+Jones").text.count("case found") == 0
    with letters_app.app_context():
        with pytest.raises(Forbidden):
            subject_access.export(db.session, find_user(db.session, "supervisor"), [held["first"]])
        nothing = Staff(letters_app, "dpo")
        refused = nothing.client.post("/data-protection/subject-access/export",
                                      data={"csrf_token": csrf(nothing.get("/data-protection/subject-access"))})
        assert refused.status_code == 422 and "Choose at least one of the cases found" in refused.text
        assert db.session.query(AuditEvent).filter_by(action="subject_access_export").count() == 0
