"""Contact details recorded once on the case (issue #21 item 4, #18 item 5): changed on a page of
their own (on the record), shown on the case, and every letter task pre-filled from them, with the
letter shown as it will be sent."""
from __future__ import annotations

import html
import re

from service.extensions import db
from service.models import AuditEvent, ContactDetails, Letter, OutboundEmail
from web.case_setup import CAUSES, REVIEW, WARNING
from web_support import main_text

DETAILS = {"postal_address": "Flat 2\r\nNew Road\r\nAN9 9ZZ", "email": "sam.new@example.org",
           "preferred_channel": "email", "adjustments": "Email only; large print",
           "language_needs": "Polish interpreter"}


def warning_ready(setup) -> int:
    case_id = setup.start()
    setup.complete(case_id, "manager_review", "line_manager", REVIEW)
    setup.complete(case_id, "check_underlying_causes", "case_officer", CAUSES)
    return case_id


def test_details_typed_with_the_incident_are_changed_once_and_every_letter_uses_them(staff, setup, query):
    case_id = warning_ready(setup)
    officer = staff("case_officer")
    case_page = main_text(officer.get(f"/cases/{case_id}"))
    assert "Postal address 12 Elm Street Anytown" in case_page and "Email address sam@example.org" in case_page
    form = officer.get(f"/cases/{case_id}/contact-details")
    assert "12 Elm Street" in form.text and "Postal address (optional)" in main_text(form)
    saved = officer.post_form(f"/cases/{case_id}/contact-details", DETAILS, follow_redirects=True)
    text = main_text(saved)
    assert "The contact details are saved" in text and "Letters sent By email" in text
    assert "Language or interpreter needs Polish interpreter" in text and "Email only; large print" in text
    changed = query(lambda s: s.query(AuditEvent).filter_by(case_id=case_id, action="contact_details_changed")
                    .order_by(AuditEvent.id.desc()).first())
    assert (changed.actor, changed.data["fields"]) == (
        "case_officer", ["adjustments", "email", "language_needs", "postal_address", "preferred_channel"])

    task = setup.task(case_id, "issue_warning")
    page = officer.get(f"/tasks/{task.id}")
    text = main_text(page)
    assert re.search(r'value="email" checked', page.text) and not re.search(r'value="post" checked', page.text)
    assert 'value="sam.new@example.org"' in page.text and "Postal address for the letter (optional)" not in text
    assert "Completing this task issues this letter: by email to sam.new@example.org" in text
    assert "Polish interpreter" in text  # the needs are in front of whoever sends the letter
    preview = html.unescape(re.search(r'srcdoc="([^"]*)"', page.text).group(1))
    assert "Warning about your contact with us" in preview and "Dear Sam Jones" in preview

    form = {"behaviour_summary": "Shouting at reception", "requested_changes": "no_abuse_tolerated",
            "consequences": "A contact strategy", "delivery": "email", "email": "sam.new@example.org"}
    updated = officer.post_form(f"/tasks/{task.id}", {**form, "action": "preview"})
    assert updated.status_code == 200 and "Shouting at reception" in html.unescape(updated.text)
    assert query(lambda s: s.query(Letter).count()) == 0  # a preview issues nothing
    done = officer.post_form(f"/tasks/{task.id}", form)
    assert done.status_code == 302
    letter = query(lambda s: s.query(Letter).filter_by(case_id=case_id).one())
    assert (letter.status, letter.channels, letter.recipient_email) == ("issued", "email", "sam.new@example.org")
    assert query(lambda s: s.query(OutboundEmail).filter_by(letter_id=letter.id).one().to_address) == \
        "sam.new@example.org"


def test_a_letter_field_needed_for_the_chosen_way_is_never_labelled_optional(staff, setup, web_app):
    case_id = warning_ready(setup)
    with web_app.app_context():  # no address on the case: the letter's own field is the only way
        db.session.query(ContactDetails).delete()
        db.session.commit()
    officer = staff("case_officer")
    page = officer.post_form(f"/tasks/{setup.task(case_id, 'issue_warning').id}",
                             {**{k: v for k, v in WARNING.items() if k != "delivery"},
                              "requested_changes": "no_abuse_tolerated", "delivery": "post", "postal_address": ""})
    text = main_text(page)
    assert page.status_code == 200 and "Enter the postal address the letter goes to" in text
    assert "Postal address for the letter" in text and "Postal address for the letter (optional)" not in text


def test_only_staff_who_can_see_the_case_see_or_change_its_details(staff, setup):
    case_id = setup.start()
    outsider = staff("dpo")
    assert outsider.get(f"/cases/{case_id}/contact-details").status_code == 404
    assert outsider.post_form(f"/cases/{case_id}/contact-details", DETAILS, page_url="/inbox").status_code == 404
    refused = staff("case_officer").post_form(f"/cases/{case_id}/contact-details", {"email": "not an address"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.text
