"""Forms: list, view, edit with checks (JSON syntax, JSON Schema, Boundary's rules), live preview,
atomic save, the audit record; and a saved form is what staff are checked against next."""
from __future__ import annotations

import json

import pytest

from modeller_support import PageClient
from service.domain.definitions import modeller
from service.errors import Forbidden, InvalidInput
from service.models import AuditEvent

APPROVE = "fixture_approve.schema.json"


def test_the_forms_page_lists_each_form_and_who_uses_it(pages):
    page = pages.get("/modeller/forms").text
    for name in ("fixture_start.schema.json", "fixture_review.schema.json", APPROVE, "messages/nudge.schema.json"):
        assert f'href="/modeller/forms/{name}"' in page
    assert "fixture_process v1: Approve" in page and "fixture_process v1: message nudge" in page


def test_a_form_page_shows_the_preview_and_the_schema(pages):
    page = pages.get(f"/modeller/forms/{APPROVE}").text
    assert 'for="preview-decision"' in page and 'for="preview-decision-2"' in page  # enum as radios
    assert "Report to the police (optional)" in page and 'id="preview-report_to_police-no"' in page
    assert "police_report_required" in page  # the JSON itself


def test_broken_json_is_refused_with_where_and_the_file_is_untouched(pages, forms_dir):
    before = (forms_dir / APPROVE).read_text()
    answer = pages.form(f"/modeller/forms/{APPROVE}/edit", {"schema": '{"type": "object", "properties": {'})
    assert answer.status_code == 422 and "not valid JSON" in answer.text and "line 1" in answer.text
    assert (forms_dir / APPROVE).read_text() == before


@pytest.mark.parametrize("schema, words", [
    ({"type": "object", "properties": {"x": {"type": 5}}}, "not a valid JSON Schema"),
    ({"type": "object", "properties": {}, "x-rules": ["no_such_rule"]}, "unknown rule"),
    ({"type": "array"}, "type"),
])
def test_an_invalid_schema_is_refused(pages, forms_dir, schema, words):
    before = (forms_dir / APPROVE).read_text()
    answer = pages.form(f"/modeller/forms/{APPROVE}/edit", {"schema": json.dumps(schema)})
    assert answer.status_code == 422 and words in answer.text
    assert (forms_dir / APPROVE).read_text() == before
    assert not [p for p in forms_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_saved_form_is_recorded_and_checks_the_next_completion(pages, forms_dir, start_case, complete, as_user):
    schema = json.loads((forms_dir / "fixture_review.schema.json").read_text())
    schema["properties"]["risk"] = {"type": "string", "title": "Risk", "enum": ["low", "high"]}
    schema["required"].append("risk")
    answer = pages.form("/modeller/forms/fixture_review.schema.json/edit", {"schema": json.dumps(schema)})
    assert answer.status_code == 302
    assert json.loads((forms_dir / "fixture_review.schema.json").read_text())["required"] == ["notes", "risk"]
    event = AuditEvent.query.filter_by(action="form_saved").one()
    assert event.actor == "process_owner" and event.data == {"form": "fixture_review.schema.json",
                                                             "fields": ["notes", "risk"]}
    case = start_case()
    refused = as_user("case_officer").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                           json={"data": {"notes": "read"}})
    assert refused.status_code == 422 and "risk" in refused.get_json()["fields"]
    assert complete(case, {"notes": "read", "risk": "low"})["ready_tasks"][0]["title"] == "Approve"


def test_the_preview_endpoint_renders_as_staff_see_it_or_says_what_is_wrong(pages):
    schema = {"type": "object", "required": ["when"], "properties": {
        "when": {"type": "string", "format": "date", "title": "Date of the call"},
        "kinds": {"type": "array", "title": "Kinds", "items": {"type": "string", "enum": ["a", "b"]}},
        "summary": {"type": "string", "title": "Summary", "maxLength": 2000}}}
    answer = pages.json("/modeller/form-preview", {"schema": json.dumps(schema)}).get_json()
    assert answer["ok"] is True
    html = answer["html"]
    assert "Date of the call" in html and "Date of the call (optional)" not in html
    assert 'name="preview-when-day"' in html  # the staff date input: day, month, year
    assert 'type="checkbox"' in html and "<textarea" in html and "Summary (optional)" in html
    broken = pages.json("/modeller/form-preview", {"schema": "{"}).get_json()
    assert broken["ok"] is False and "not valid JSON" in broken["message"]


def test_a_new_form_can_be_created_under_a_safe_name_only(pages, forms_dir):
    text = json.dumps({"type": "object", "properties": {"ok": {"type": "boolean", "title": "Checked"}}})
    created = pages.form("/modeller/forms/new", {"name": "extra_check.schema.json", "schema": text})
    assert created.status_code == 302 and (forms_dir / "extra_check.schema.json").is_file()
    again = pages.form("/modeller/forms/new", {"name": "extra_check.schema.json", "schema": text})
    assert again.status_code == 422 and "already exists" in again.text
    for bad in ("../escape.schema.json", "Upper.schema.json", "x.json", "messages/../../x.schema.json"):
        assert pages.form("/modeller/forms/new", {"name": bad, "schema": text}).status_code == 422
    assert not (forms_dir.parent / "escape.schema.json").exists()


def test_only_a_process_owner_saves_forms(ctx, app, forms_dir):
    from service.domain.people import users
    from service.extensions import db
    officer = users.find_user(db.session, "case_officer")
    with pytest.raises(Forbidden) as refused:
        modeller.save_form(ctx, officer, APPROVE, (forms_dir / APPROVE).read_text())
    assert "process owner" in str(refused.value)
    staff = PageClient(app.test_client(), "case_officer")
    assert staff.get("/modeller/forms").status_code == 403


def test_save_form_checks_before_it_writes(ctx, owner, forms_dir):
    before = (forms_dir / APPROVE).read_text()
    with pytest.raises(InvalidInput):
        modeller.save_form(ctx, owner, APPROVE, '{"type": "object", "properties": {"x": {"type": 5}}}')
    assert (forms_dir / APPROVE).read_text() == before


def test_every_shipped_form_previews(tmp_path):
    """The forms the service ships all draw in the preview (the staff macros, incl. repeating items)."""
    from helpers import CHECKOUT, make_app
    from modeller_support import PageClient
    shipped = sorted(p.relative_to(CHECKOUT / "forms").as_posix() for p in (CHECKOUT / "forms").rglob("*.json"))
    if not shipped:
        pytest.skip("no shipped forms yet")
    app = make_app(tmp_path, workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        pages = PageClient(app.test_client(), "process_owner")
        for name in shipped:
            page = pages.get(f"/modeller/forms/{name}")
            assert page.status_code == 200 and "data-preview" in page.text, name
        from service.extensions import db
        db.session.remove()
        db.engine.dispose()
