"""Issue #19 item 12: an email field holds exactly one valid address, never a line break or a list."""
from __future__ import annotations

import json

import pytest

from helpers import CHECKOUT, make_app, released
from service.domain.core.forms import FormStore
from service.domain.correspondence import letter_delivery
from service.domain.people import account
from service.errors import InvalidInput
from web_support import Staff

HOSTILE = ["sam@example.org\r\nBcc: everyone@example.net", "sam@example.org, other@example.net",
           "sam@example.org;other@example.net", "Sam <sam@example.org>", "sam@example.org\n"]


def email_fields(node, path=""):
    """Every property of a schema that is, or is named like, an email address field."""
    if isinstance(node, dict):
        for name, spec in (node.get("properties") or {}).items():
            if isinstance(spec, dict) and spec.get("type") == "string" and ("email" in name or spec.get("format") == "email"):
                yield f"{path}{name}", spec
        for value in node.values():
            yield from email_fields(value, path)
    elif isinstance(node, list):
        for value in node:
            yield from email_fields(value, path)


def test_every_email_field_in_the_shipped_forms_is_checked_as_one_address():
    found = {}
    for path in sorted((CHECKOUT / "forms").rglob("*.schema.json")):
        for name, spec in email_fields(json.loads(path.read_text())):
            found[f"{path.relative_to(CHECKOUT / 'forms')}:{name}"] = spec
    found.update({f"account:{n}": s for n, s in email_fields(account.ACCOUNT_FORM)})
    found.update({f"letter task:{n}": s for n, s in email_fields({"properties": letter_delivery.DELIVERY_FIELDS})})
    assert set(found) == {"letters/issue_letter.schema.json:email", "account:email", "letter task:email",
                          "letters/contact_details.schema.json:email", "record_incident.schema.json:email"}
    assert all(spec.get("format") == "email" for spec in found.values())


@pytest.mark.parametrize("address", HOSTILE)
def test_the_letter_form_refuses_line_breaks_and_lists(address):
    forms = FormStore(CHECKOUT / "forms")
    with pytest.raises(InvalidInput) as refused:
        forms.validate("letters/issue_letter.schema.json", {"channels": ["email"], "email": address})
    assert refused.value.fields["email"] == ["Enter email address in the correct format, like name@example.org"]
    assert forms.validate("letters/issue_letter.schema.json", {"channels": ["email"], "email": "sam@example.org"})


def test_the_account_page_refuses_an_address_with_a_header_after_it(tmp_path):
    with released(make_app(tmp_path), pushed=False) as app:
        manager = Staff(app, "line_manager")
        for address in HOSTILE[:3]:
            page = manager.post_form("/account", {"email": address, "notify_by_email": "yes"})
            assert page.status_code == 200 and "Enter an email address in the correct format" in page.text
        with app.app_context():
            from service.domain.people.users import find_user
            from service.extensions import db
            assert find_user(db.session, "line_manager").email == "line_manager@example.org"


def test_the_cli_refuses_a_list_of_addresses(app):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["create-user", "jo", "--password", "correct horse battery",
                                  "--email", "jo@example.org, boss@example.org"])
    assert refused.exit_code != 0 and "email: Enter one email address in the correct format" in refused.output
    made = runner.invoke(args=["create-user", "jo", "--password", "correct horse battery", "--email", "Jo@Example.ORG"])
    assert made.exit_code == 0, made.output
