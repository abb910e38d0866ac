"""Forms for process owners: list, view, edit a JSON Schema with checks and a live preview.

The preview is rendered on the server by ``modeller/_form_preview.html`` with
the inbox's own field macros (``form_fields``), so it is the form staff see;
the page's script posts the text to ``form_preview`` as the owner types.
"""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...domain.core.transaction import transaction
from ...domain.definitions import modeller
from ...errors import InvalidInput, NotFound
from ...extensions import db
from ...services import context
from .. import form_fields
from ..pages import requires_role
from .views import OWNER, bp


@bp.route("/forms", endpoint="forms")
@requires_role(OWNER)
def form_list():
    return render_template("modeller/forms.html", page_title="Forms", forms=modeller.list_forms(context()))


@bp.route("/forms/new", methods=["GET", "POST"], endpoint="new_form")
@requires_role(OWNER)
def new_form():
    name = request.form.get("name", "").strip()
    text = request.form.get("schema", _STARTER)
    if request.method == "POST":
        try:
            with transaction(db.session):
                modeller.save_form(context(), current_user, name, text, create=True)
        except InvalidInput as error:
            return _editor(name, text, error, create=True), 422
        flash(f"Created the form {name}.", "success")
        return redirect(url_for("modeller.form", name=name))
    return _editor(name, text, None, create=True)


@bp.route("/forms/<path:name>", endpoint="form")
@requires_role(OWNER)
def view_form(name: str):
    ctx = context()
    text = modeller.load_form_text(ctx, name)
    schema, problem = _parsed(text)
    used_by = next((f.used_by for f in modeller.list_forms(ctx) if f.name == name), [])
    return render_template("modeller/form.html", page_title=f"Form {name}", name=name, text=text, schema=schema,
                           problem=problem, used_by=used_by)


@bp.route("/forms/<path:name>/edit", methods=["GET", "POST"], endpoint="edit_form")
@requires_role(OWNER)
def edit_form(name: str):
    if request.method == "POST":
        text = request.form.get("schema", "")
        try:
            with transaction(db.session):
                modeller.save_form(context(), current_user, name, text)
        except InvalidInput as error:
            return _editor(name, text, error), 422
        flash(f"Saved the form {name}. Tasks that use it show the new version from now on.", "success")
        return redirect(url_for("modeller.form", name=name))
    return _editor(name, modeller.load_form_text(context(), name), None)


@bp.route("/form-preview", methods=["POST"], endpoint="form_preview")
@requires_role(OWNER)
def form_preview():
    """The preview for schema text: {ok, html} or {ok: false, message}."""
    text = str((request.get_json(silent=True) or {}).get("schema") or "")
    try:
        schema = modeller.parse_form(text)
    except InvalidInput as error:
        return jsonify({"ok": False, "message": error.message})
    return jsonify({"ok": True, "html": render_template("modeller/_form_preview.html", schema=schema)})


@bp.context_processor
def _preview_fields():
    return {"preview_fields": form_fields.describe}


def _editor(name: str, text: str, error: InvalidInput | None, create: bool = False):
    schema, _ = _parsed(text)
    return render_template("modeller/form_edit.html", page_title=("New form" if create else f"Edit {name}"),
                           error_title=error.message if error else None, name=name, text=text, schema=schema,
                           error=error, create=create)


def _parsed(text: str):
    try:
        return modeller.parse_form(text), None
    except InvalidInput as error:
        return None, error.message
    except NotFound as error:
        return None, error.message


_STARTER = """{
  "title": "New form",
  "type": "object",
  "additionalProperties": false,
  "required": ["notes"],
  "properties": {
    "notes": {"type": "string", "title": "Notes", "minLength": 1}
  }
}
"""
