"""The modeller, for process owners: definitions and versions, the bpmn-js editor,
validate and deploy, download and upload.

Forms pages are in ``modeller_forms`` and moving running cases in
``modeller_migrations``; both add their routes to this blueprint, so the whole
modeller sits under one menu item.
"""
from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...domain.core.transaction import transaction
from ...domain.core.vocabulary import STAGE_TITLES, STAGES
from ...domain.definitions import modeller, versions as definitions
from ...domain.definitions.versions import DeployRefused
from ...domain.people.roles import NON_TASK_ROLES, ROLES
from ...errors import BoundaryError, InvalidInput
from ...extensions import db
from ...input_guard import whole_number
from ...services import context
from ..errors import page_error
from ..pages import page_blueprint, requires_role

bp = page_blueprint("modeller", __name__)
bp.url_prefix = "/modeller"
OWNER = modeller.OWNER  # the rule itself: domain.modeller.require_owner, shared with the API
MAX_DIAGRAM = 2 * 1024 * 1024


@bp.route("/processes", endpoint="definitions")
@requires_role(OWNER)
def definitions_page():
    """Each definition with its versions: who deployed them, when, why, and the cases on each."""
    found = modeller.definitions_for(db.session, current_user)
    return render_template("modeller/definitions.html", page_title="Processes", definitions=found,
                           changes=_changes(found))


def _changes(found) -> dict:
    """Each version's changes against the one before it, by version id."""
    return {vid: diff for summary in found for vid, diff in modeller.version_changes(summary).items()}


@bp.route("/processes/upload", methods=["POST"])
@requires_role(OWNER)
def upload():
    """Upload BPMN files from the browser: the API's validation, problems listed on the page."""
    note = request.form.get("note", "")
    files = {(f.filename or "upload.bpmn").rsplit("/", 1)[-1]: f.read() for f in request.files.getlist("file") if f}
    files = {name: content for name, content in files.items() if content}
    if not files:
        return _definitions_with_error("Choose a .bpmn file to upload.")
    if sum(len(c) for c in files.values()) > MAX_DIAGRAM:
        return _definitions_with_error("The file is larger than 2 MB.")
    try:
        with transaction(db.session):
            version = modeller.deploy_diagram(context(), current_user, files, note)
    except DeployRefused as refused:
        return _definitions_with_error(refused.message, refused.problems, note)
    except InvalidInput as refused:  # no note
        return _definitions_with_error(refused.message, note=note, field=next(iter(refused.fields), "file"))
    flash(f"Deployed {version.name} version {version.number}. New cases start on it; running cases stay on "
          "their version until you move them.", "success")
    return redirect(url_for("modeller.definitions"))


def _definitions_with_error(message: str, problems=(), note: str = "", field: str = "file"):
    found = definitions.list_definitions(db.session)
    return render_template("modeller/definitions.html", page_title="Processes", error_title=message,
                           upload_error=message, error_field=field, problems=list(problems), note=note,
                           definitions=found, changes=_changes(found)), 422


@bp.route("/processes/versions/<int:version_id>/files/<path:name>")
@requires_role(OWNER)
def download(version_id: int, name: str):
    version = modeller.get_version(db.session, version_id)
    filename, text = modeller.version_file(version, name)
    download_name = f"{filename.rsplit('.', 1)[0]}-v{version.number}.bpmn"
    return Response(text, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{download_name}"'})


@bp.route("/processes/versions/<int:version_id>/diagram/<path:name>")
@requires_role(OWNER)
def diagram(version_id: int, name: str):
    """The file for the editor: as stored, or laid out when it has no drawing."""
    _, content = modeller.diagram_for_editing(modeller.get_version(db.session, version_id), name)
    return Response(content, mimetype="application/xml")


@bp.route("/processes/<process_id>/edit")
@requires_role(OWNER)
def edit(process_id: str):
    """The editor on a version's main file (the current version unless ?version=N)."""
    number = whole_number(request.args["version"], "version") if request.args.get("version") else None
    version = modeller.find_version(db.session, process_id, number)
    current = definitions.current_version(db.session, process_id)
    filename, _ = modeller.version_file(version, request.args.get("file"))
    called = {pid: url_for("modeller.edit", process_id=definition, file=file)
              for pid, (definition, file) in modeller.where_processes_are_edited(db.session, version).items()}
    return render_template("modeller/edit.html", page_title=f"Edit {version.name}", version=version,
                           current=current, filename=filename, editor_options=editor_options(), called=called)


def editor_options() -> dict:
    """What the properties panel offers: roles for lanes, stages, forms and letters."""
    forms = context().forms
    letters_dir = Path(current_app.root_path) / "templates" / "letters"
    letters = sorted(p.stem for p in letters_dir.glob("*.html") if not p.name.startswith("_"))
    return {
        "roles": [{"key": key, "title": title} for key, title in ROLES.items() if key not in NON_TASK_ROLES],
        "stages": list(STAGES),
        "stageTitles": dict(STAGE_TITLES),  # the titles Cases and Monitoring show
        "forms": [name for name in forms.names() if not name.startswith(("messages/", "letters/"))],
        "letters": letters,
    }


# -- JSON endpoints the editor calls (session + CSRF header) ------------------
@bp.route("/validate", methods=["POST"])
@requires_role(OWNER)
def validate():
    files = _posted_diagram()
    problems = modeller.check_diagram(context(), files)
    return jsonify({"ok": not problems, "problems": [p.as_dict() for p in problems]})


@bp.route("/changes", methods=["POST"])
@requires_role(OWNER)
def changes():
    """The confirm step's content: the problems a deploy would be refused for, else what it changes."""
    files = _posted_diagram()
    preview = modeller.preview_deploy(context(), current_user, files)
    return jsonify({"ok": not preview.problems, "problems": [p.as_dict() for p in preview.problems],
                    "current": preview.current.label if preview.current else None,
                    "changes": preview.diff.as_dict()})


@bp.route("/deploy", methods=["POST"])
@requires_role(OWNER)
def deploy():
    """Deploy, once the owner has read the changes (``confirm``: true) and said why (``note``)."""
    files = _posted_diagram()
    body = request.get_json(silent=True) or {}
    note = str(body.get("note") or "")
    if body.get("confirm") is not True:
        raise InvalidInput("Read what the deploy changes, then confirm it.",
                           {"confirm": ["Confirm the deploy after reading its changes"]})
    try:
        with transaction(db.session):
            version = modeller.deploy_diagram(context(), current_user, files, note)
    except DeployRefused as refused:
        return jsonify({"ok": False, "message": refused.message,
                        "problems": [p.as_dict() for p in refused.problems]}), 422
    return jsonify({"ok": True, "version": {
        "id": version.id, "number": version.number, "label": version.label, "note": version.note,
        "edit_url": url_for("modeller.edit", process_id=version.process_id),
        "migrate_url": url_for("modeller.migrate", version_id=version.id)}}), 201


def _posted_diagram() -> dict[str, bytes]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("xml"), str) or not body["xml"].strip():
        raise InvalidInput("Send the diagram as JSON: {\"filename\": ..., \"xml\": ...}.", {"xml": ["Missing"]})
    xml = body["xml"].encode("utf-8")
    if len(xml) > MAX_DIAGRAM:
        raise InvalidInput("The diagram is larger than 2 MB.", {"xml": ["Too large"]})
    filename = str(body.get("filename") or "diagram.bpmn").rsplit("/", 1)[-1] or "diagram.bpmn"
    return {filename: xml}


@bp.errorhandler(BoundaryError)
def _domain_error(error: BoundaryError):
    """The editor's JSON endpoints answer JSON (the page shows the message); pages show pages."""
    if request.is_json:
        return jsonify({"ok": False, "message": error.message, "fields": getattr(error, "fields", {}),
                        "problems": []}), error.status
    return page_error(error)
