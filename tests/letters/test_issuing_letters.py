"""A draft left from before tasks issued their letters (issue #21) is previewed, then issued once from
the case page, by post, email or both. New letters are issued on completion (test_issued_on_completion.py)."""
from __future__ import annotations

import pytest

from letter_support import issue, letter_named, pdf_text
from service.errors import Conflict, InvalidInput
from service.extensions import db
from service.models import AuditEvent, Letter, OutboundEmail
from web.case_setup import CaseSetup
from web_support import Staff, main_text


@pytest.fixture
def warned(web_app):
    """A case in monitoring whose only letter is a draft warning (made as the old release did: its
    completion drafted it), with no contact details recorded."""
    case_id = CaseSetup(web_app).with_draft_warning()
    with web_app.app_context():
        assert [letter.status for letter in db.session.query(Letter)] == ["draft"]
    return case_id


@pytest.fixture
def letter(web_app, warned) -> int:
    """The draft's id (a sequence on PostgreSQL never hands back the id of the letter it replaced)."""
    with web_app.app_context():
        return db.session.query(Letter.id).filter_by(case_id=warned).scalar()


def test_a_draft_is_previewed_then_issued_from_the_case_page(web_app, warned, letter):
    officer = Staff(web_app, "case_officer")
    case_page = officer.get(f"/cases/{warned}")
    assert "Draft" in main_text(case_page) and f"/cases/{warned}/letters/{letter}/issue" in case_page.text
    preview = officer.get(f"/cases/{warned}/letters/{letter}.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert "draft-preview" in preview.headers["Content-Disposition"]
    assert "Abuse of staff" in pdf_text(preview.data)

    form = officer.get(f"/cases/{warned}/letters/{letter}/issue")
    assert 'value="post" checked' in form.text  # as chosen on the warning task
    assert "Postal address (optional)" not in main_text(form)  # needed when it goes by post
    done = officer.post_form(f"/cases/{warned}/letters/{letter}/issue",
                             {"channels": ["post", "email"], "postal_address": "12 Elm Street\r\nAnytown",
                              "email": "sam@example.org"}, follow_redirects=True)
    text = main_text(done)
    assert "Issued: Warning about your contact with us, by post and email." in text
    assert "Fingerprint (SHA-256)" in text and "sam@example.org" in text
    with web_app.app_context():
        issued = letter_named(warned, "warning_letter")
        assert issued.sha256 in done.text
        sent = officer.get(f"/cases/{warned}/letters/{letter}.pdf")
        assert sent.data == issued.pdf and "draft" not in sent.headers["Content-Disposition"]
        assert "12 Elm Street" in pdf_text(sent.data)
        email = db.session.query(OutboundEmail).one()
        assert (email.letter_id, email.to_address, email.kind) == (issued.id, "sam@example.org", "letter")
    again = officer.get(f"/cases/{warned}/letters/{letter}/issue")
    assert again.status_code == 200  # the form still draws, but issuing again is refused:
    refused = officer.post_form(f"/cases/{warned}/letters/{letter}/issue", {"channels": ["post"], "postal_address": "x"},
                                page_url=f"/cases/{warned}/letters/{letter}/issue")
    assert refused.status_code == 409 and "already issued by case_officer" in refused.text


def test_each_channel_needs_its_address_and_nothing_changes_until_it_is_given(web_app, warned, letter):
    officer = Staff(web_app, "case_officer")
    url = f"/cases/{warned}/letters/{letter}/issue"
    page = officer.post_form(url, {"channels": ["email"], "email": "not-an-address"})
    assert page.status_code == 200 and "Email address" in main_text(page) and "govuk-error-summary" in page.text
    page = officer.post_form(url, {"channels": ["post"]})
    assert "Postal address" in main_text(page) and "govuk-error-summary" in page.text
    page = officer.post_form(url, {})
    assert "How is it being sent?" in main_text(page) and "govuk-error-summary" in page.text
    with web_app.app_context():
        letter = letter_named(warned, "warning_letter")
        assert (letter.status, letter.pdf, letter.sha256) == ("draft", None, None)
        assert db.session.query(OutboundEmail).count() == 0


def test_issuing_twice_is_a_conflict_and_the_first_issue_stands(web_app, warned):
    with web_app.app_context():
        first = issue(warned, "warning_letter", {"channels": ["post"], "postal_address": "1 A Road"})
        fingerprint = first.sha256
        with pytest.raises(Conflict):
            issue(warned, "warning_letter", {"channels": ["email"], "email": "b@example.org"}, username="case_officer")
        db.session.rollback()
        again = letter_named(warned, "warning_letter")
        assert (again.sha256, again.channels, again.recipient_email) == (fingerprint, "post", None)
        with pytest.raises(InvalidInput) as error:
            issue(warned, "warning_letter", {"channels": ["fax"]})
        assert error.value.fields == {"channels.0": ["Select one of the choices for: how is it being sent?"]}


def test_letters_of_a_case_are_need_to_know(web_app, warned, letter):
    outsider = Staff(web_app, "dpo")  # holds no role on this case and did not start it
    for url in [f"/cases/{warned}/letters/{letter}", f"/cases/{warned}/letters/{letter}.pdf", f"/cases/{warned}/letters/{letter}/issue"]:
        assert outsider.get(url).status_code == 404, url
    manager = Staff(web_app, "line_manager")  # held the manager review: may read, and the view is recorded
    assert manager.get(f"/cases/{warned}/letters/{letter}.pdf").status_code == 200
    with web_app.app_context():
        views = db.session.query(AuditEvent).filter_by(case_id=warned, action="letter_viewed").all()
        assert [(v.actor, v.data["letter"]) for v in views] == [("line_manager", letter)]
