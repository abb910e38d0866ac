"""JSON Schema to GOV.UK fields and posted fields back to typed data (service/web/form_fields.py)."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from service.web import form_fields as ff

SCHEMA = {
    "type": "object",
    "required": ["name", "when", "kind", "restrictions"],
    "properties": {
        "name": {"type": "string", "title": "Name"},
        "story": {"type": "string", "title": "Story", "maxLength": 2000},
        "notes": {"type": "string", "title": "Notes", "x-widget": "textarea"},
        "when": {"type": "string", "format": "date", "title": "When"},
        "kind": {"type": "string", "title": "Kind", "enum": ["a", "b"], "x-enumNames": ["Apple", "Banana"],
                 "default": "b"},
        "tags": {"type": "array", "title": "Tags", "items": {"type": "string", "enum": ["x_y", "z"]}},
        "ok": {"type": "boolean", "title": "All right?"},
        "why": {"type": "string", "title": "Why not"},
        "count": {"type": "integer", "title": "How many"},
        "score": {"type": "number", "title": "Score"},
        "restrictions": {"type": "array", "title": "Restrictions", "items": {
            "type": "object", "required": ["type"],
            "properties": {"type": {"type": "string", "title": "Type", "enum": ["email_only", "post_only"]},
                           "detail": {"type": "string", "title": "Detail"},
                           "steps": {"type": "array", "title": "Steps", "items": {
                               "type": "object", "properties": {"step": {"type": "string", "title": "Step"}}}}}}},
    },
    "allOf": [{"if": {"required": ["ok"], "properties": {"ok": {"const": False}}}, "then": {"required": ["why"]}},
              {"if": {"properties": {"name": {"const": "x"}}}, "then": {"required": ["notes"]}}],
}


def kinds():
    return {f.name: f.kind for f in ff.describe(SCHEMA)}


def test_each_schema_type_gets_its_gov_uk_field():
    assert kinds() == {"name": "text", "story": "textarea", "notes": "textarea", "when": "date", "kind": "radios",
                       "tags": "checkboxes", "ok": "boolean", "why": "text", "count": "number", "score": "number",
                       "restrictions": "items"}
    fields = {f.name: f for f in ff.describe(SCHEMA)}
    assert fields["kind"].options == [("a", "Apple"), ("b", "Banana")]  # x-enumNames
    assert fields["tags"].options == [("x_y", "X y"), ("z", "Z")]  # no names: the values in words
    assert fields["name"].required and not fields["notes"].required


def test_a_field_needed_for_one_answer_is_revealed_under_it_and_others_stay_put():
    fields = {f.name: f for f in ff.describe(SCHEMA)}
    assert [f.name for f in fields["ok"].reveals["no"]] == ["why"] and fields["why"].revealed
    assert not fields["notes"].revealed  # the trigger is a text box: no reveal, the field just shows


def test_posted_fields_become_typed_data():
    form = MultiDict([("name", " Sam "), ("when-day", "2"), ("when-month", "3"), ("when-year", "2026"),
                      ("kind", "a"), ("tags", "x_y"), ("tags", "z"), ("ok", "no"), ("count", "3"), ("score", "2.5"),
                      ("restrictions-count", "2"), ("restrictions-0-type", "email_only"),
                      ("restrictions-0-steps-count", "1"), ("restrictions-0-steps-0-step", "first"),
                      ("restrictions-1-type", "post_only"), ("restrictions-1-detail", "PO box"), ("notes", "")])
    assert ff.parse(SCHEMA, form) == {
        "name": "Sam", "when": "2026-03-02", "kind": "a", "tags": ["x_y", "z"], "ok": False, "count": 3,
        "score": 2.5, "restrictions": [{"type": "email_only", "steps": [{"step": "first"}]},
                                       {"type": "post_only", "detail": "PO box"}]}


def test_what_cannot_be_typed_is_kept_as_typed_for_the_schema_to_refuse():
    data = ff.parse(SCHEMA, MultiDict([("when-day", "31"), ("when-month", "x"), ("when-year", "2026"),
                                       ("count", "three")]))
    assert data == {"when": "2026-x-31", "count": "three"}


def test_add_and_remove_buttons_redraw_the_items_without_javascript():
    posted = [("restrictions-count", "2"), ("restrictions-0-type", "email_only"), ("restrictions-1-detail", "b")]
    added = ff.redisplay(SCHEMA, MultiDict(posted + [("action", "add:restrictions")]))
    assert added["restrictions-count"] == 3 and added["restrictions-0-type"] == "email_only"
    assert added["restrictions-1-detail"] == "b" and "restrictions-2-type" not in added
    removed = ff.redisplay(SCHEMA, MultiDict(posted + [("action", "remove:restrictions:0")]))
    assert removed["restrictions-count"] == 1 and removed["restrictions-0-detail"] == "b"
    assert ff.form_action(MultiDict([("action", "add:restrictions")])) == "add:restrictions"
    assert ff.form_action(MultiDict([("action", "anything")])) is None
    # on submit, blank items are dropped and a removed one is not sent
    assert ff.parse(SCHEMA, MultiDict([("restrictions-count", "3"), ("restrictions-2-type", "post_only")])) == \
        {"restrictions": [{"type": "post_only"}]}


def test_stored_data_and_defaults_become_the_values_the_macros_read():
    values = ff.values_from_data(SCHEMA, {"when": "2026-03-02", "ok": True, "tags": ["z"], "count": 4,
                                          "restrictions": [{"type": "post_only"}]})
    assert values == {"when-day": "2", "when-month": "3", "when-year": "2026", "ok": "yes", "tags": ["z"],
                      "count": "4", "restrictions-count": 1, "restrictions-0-type": "post_only",
                      "restrictions-0-steps-count": 1}
    assert ff.initial_values(SCHEMA)["kind"] == "b"


def test_errors_are_keyed_by_input_and_the_summary_follows_the_form():
    errors = {"restrictions.1.type": ["Select the type"], "when": ["Enter a real date"], "name": ["Enter a name"],
              "data": ["The process could not continue"], "override": ["Tick the box"]}
    assert ff.error_fields(errors)["restrictions-1-type"] == ["Select the type"]
    assert ff.error_links(ff.describe(SCHEMA), errors) == [
        (None, "The process could not continue"), ("#override", "Tick the box"), ("#name", "Enter a name"),
        ("#when-day", "Enter a real date"), ("#restrictions-1-type", "Select the type")]
    assert ff.error_links(ff.describe(SCHEMA), {"restrictions": ["Add one"]}) == [("#restrictions-0-type", "Add one")]


def test_answers_read_in_plain_words():
    assert ff.answers(SCHEMA, {"kind": "a", "ok": False, "when": "2026-03-02", "tags": ["x_y"], "extra": "kept",
                               "restrictions": [{"type": "email_only", "detail": "one box"}]}) == [
        ("When", "2 March 2026"), ("Kind", "Apple"), ("Tags", "X y"), ("All right?", "No"),
        ("Restrictions", "Email only, one box"), ("Extra", "kept")]
