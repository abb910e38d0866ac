"""The form editor for people (issue #22): questions are added, reordered, made required and
revealed under an answer without touching JSON; the preview follows and the save keeps it; a
question a diagram reads cannot be removed, and the refusal names it and the gateway."""
from __future__ import annotations

import json
import shutil

import pytest

from browser_support import axe_violations, sign_in
from helpers import FIXTURES, make_app
from test_modeller import close_database


@pytest.fixture
def live_app(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(FIXTURES / "forms", forms)
    app = make_app(tmp_path, forms=forms)
    app.config["TEST_FORMS"] = forms
    yield app
    close_database(app)


def open_editor(page, server, name: str) -> None:
    sign_in(page, server, "process_owner")
    page.goto(f"{server.url}/modeller/forms/{name}/edit")
    page.wait_for_selector("#fields-editor[data-ready=true]")


def test_a_question_is_added_reordered_required_revealed_and_saved(page, live_server):
    open_editor(page, live_server, "fixture_review.schema.json")
    assert page.input_value("#field-0-title") == "Notes"
    page.get_by_role("button", name="Add a question").click()
    assert page.evaluate("document.activeElement.id") == "field-1-title"  # focus goes to the new question
    page.fill("#field-1-title", "Risk level")
    assert page.input_value("#field-1-name") == "risk_level"
    page.select_option("#field-1-kind", "radios")
    page.fill("#field-1-options", "Low\nHigh")
    page.locator("#field-1-options").blur()
    page.fill("#field-1-hint", "How likely harm is")
    page.check("#field-1-required")
    page.get_by_role("button", name="Move up Risk level").click()
    assert page.input_value("#field-0-title") == "Risk level" and page.input_value("#field-1-title") == "Notes"
    # a question revealed under an answer
    page.get_by_role("button", name="Add a question").click()
    page.fill("#field-2-title", "Why high")
    page.select_option("#field-2-reveal", label="When \u201cRisk level\u201d is High")
    page.wait_for_selector("#form-preview legend:has-text('Risk level')")
    page.wait_for_selector("#form-preview .govuk-radios__conditional label:has-text('Why high')", state="attached")
    assert "How likely harm is" in page.inner_text("#form-preview")
    assert axe_violations(page) == []
    page.click("button:has-text('Check and save')")
    page.wait_for_selector(".govuk-notification-banner--success")
    saved = json.loads((live_server.app.config["TEST_FORMS"] / "fixture_review.schema.json").read_text())
    assert list(saved["properties"]) == ["risk_level", "notes", "why_high"]
    assert saved["required"] == ["risk_level", "notes"]
    assert saved["properties"]["risk_level"]["enum"] == ["low", "high"]
    assert saved["properties"]["risk_level"]["x-enumNames"] == ["Low", "High"]
    assert saved["properties"]["risk_level"]["description"] == "How likely harm is"
    assert saved["allOf"] == [{"if": {"required": ["risk_level"], "properties": {"risk_level": {"const": "high"}}},
                               "then": {"required": ["why_high"]}}]
    assert "Risk level" in page.inner_text(".boundary-preview")
    assert page.console_errors == []


def test_removing_a_question_a_gateway_reads_is_refused_and_named(page, live_server):
    forms = live_server.app.config["TEST_FORMS"]
    before = (forms / "fixture_approve.schema.json").read_text()
    open_editor(page, live_server, "fixture_approve.schema.json")
    card = page.locator("[data-field='decision']")
    title = card.locator("input[id$='-title']").input_value()
    page.get_by_role("button", name=f"Remove {title}").click()
    assert page.locator("[data-field='decision']").count() == 0
    page.click("button:has-text('Check and save')")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "decision" in summary.inner_text() and "Approved? (decide)" in summary.inner_text()
    assert (forms / "fixture_approve.schema.json").read_text() == before
    assert [e for e in page.console_errors if "422" not in e] == []  # the refusal is a 422 page


def test_every_kind_of_answer_is_written_as_the_inbox_reads_it(page, live_server):
    open_editor(page, live_server, "fixture_review.schema.json")
    kinds = {"When it happened": "date", "What happened": "textarea", "Which channels": "checkboxes",
             "Anyone else involved": "boolean", "People": "items"}
    for i, (question, kind) in enumerate(kinds.items(), start=1):
        page.get_by_role("button", name="Add a question", exact=True).click()
        page.fill(f"#field-{i}-title", question)
        page.select_option(f"#field-{i}-kind", kind)
    page.fill("#field-3-options", "Phone\nEmail\npost: By post")
    page.locator("#field-3-options").blur()
    page.get_by_role("button", name="Add a question to the group").click()
    page.fill("#field-5-1-title", "Their role")
    page.wait_for_selector("#form-preview .govuk-date-input")
    page.wait_for_selector("#form-preview textarea", state="attached")
    page.wait_for_selector("#form-preview input[type=checkbox]", state="attached")
    page.wait_for_selector("#form-preview label:has-text('Their role')", state="attached")
    page.click("button:has-text('Check and save')")
    page.wait_for_selector(".govuk-notification-banner--success")
    saved = json.loads((live_server.app.config["TEST_FORMS"] / "fixture_review.schema.json").read_text())
    fields = saved["properties"]
    assert list(fields) == ["notes", "when_it_happened", "what_happened", "which_channels", "anyone_else_involved",
                            "people"]
    assert fields["when_it_happened"]["format"] == "date"
    assert fields["what_happened"]["x-widget"] == "textarea"
    assert fields["which_channels"]["items"]["enum"] == ["phone", "email", "post"]
    assert fields["which_channels"]["items"]["x-enumNames"] == ["Phone", "Email", "By post"]
    assert fields["anyone_else_involved"]["type"] == "boolean"
    assert list(fields["people"]["items"]["properties"]) == ["item", "their_role"]
    assert page.console_errors == []
