"""In Chromium: a case officer issues a letter from its draft; the DPO answers a subject access
request and reads the retention dry run. Every page passes axe-core with no console errors."""
from __future__ import annotations

import pytest

from browser_support import clean, sign_in
from helpers import CHECKOUT, make_app
from web.case_setup import CaseSetup


@pytest.fixture
def live_app(tmp_path):
    return make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management",
                    OFFICE_NAME="Office of the Commissioner for Anyshire")



def test_a_letter_is_issued_from_its_draft(page, live_server, live_app):
    case_id = CaseSetup(live_app).with_draft_warning()  # new letters are issued with their task
    sign_in(page, live_server, "case_officer")
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.click("text=Warning about your contact with us")
    assert "Draft: not yet issued" in page.inner_text("main")
    assert "Office of the Commissioner for Anyshire" in page.frame_locator("iframe").locator("body").inner_text()
    assert clean(page)
    with page.expect_response(lambda r: r.url.endswith(".pdf")) as preview:
        page.evaluate("url => fetch(url)", page.get_attribute("text=Preview the PDF", "href"))
    assert preview.value.headers["content-type"] == "application/pdf"

    page.click("text=Issue the letter")
    page.uncheck("input[name=channels][value=post]")
    page.click("button:has-text('Issue the letter')")
    assert "How is it being sent?" in page.inner_text(".govuk-error-summary")
    assert clean(page)
    page.check("input[name=channels][value=post]")
    page.fill("#postal_address", "12 Elm Street\nAnytown")
    page.click("button:has-text('Issue the letter')")
    assert "Issued: Warning about your contact with us, by post." in page.inner_text("main")
    assert "Fingerprint (SHA-256)" in page.inner_text("main")
    assert "12 Elm Street" in page.frame_locator("iframe").locator("body").inner_text()
    assert clean(page)


def test_the_dpo_exports_a_persons_data(page, live_server, live_app):
    CaseSetup(live_app).to_monitoring()
    sign_in(page, live_server, "dpo")
    page.click("nav >> text=Data protection")
    assert clean(page)
    page.click("text=Answer a subject access request")
    page.click("button:has-text('Find their cases')")
    assert "Enter the person's full name or their reference" in page.inner_text(".govuk-error-summary")
    assert clean(page)
    page.fill("#service_user_name", "sam jones")
    page.click("button:has-text('Find their cases')")
    assert "1 case found" in page.inner_text("main")
    assert clean(page)
    with page.expect_download() as download:
        page.click("button:has-text('Download everything held (ZIP)')")
    assert download.value.suggested_filename.startswith("subject-access-")
    page.goto(f"{live_server.url}/data-protection/retention")
    assert "0 cases due" in page.inner_text("main")
    assert clean(page)
    page.goto(f"{live_server.url}/data-protection/disclosures")
    assert clean(page)
