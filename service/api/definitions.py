"""Process definitions over the API: the same rule as the modeller pages (``domain.definitions.modeller.require_owner``)."""
from flask import Response, request
from flask_smorest import Blueprint

from ..domain.core.transaction import transaction
from ..domain.definitions import modeller
from ..errors import InvalidInput
from ..extensions import db
from ..services import context
from .auth import BEARER, current_user, require_token
from .schemas import DefinitionListSchema, VersionSchema

blp = Blueprint("definitions", __name__, description="Process definitions and their versions")
blp.before_request(require_token)
MAX_UPLOAD = 2 * 1024 * 1024


def version_dict(version, active_cases: int = 0) -> dict:
    return {"id": version.id, "number": version.number, "deployed_by": version.deployed_by,
            "deployed_at": version.deployed_at, "note": version.note, "active_cases": active_cases,
            "files": sorted(version.files)}


@blp.route("/process-definitions")
@blp.response(200, DefinitionListSchema)
@blp.alt_response(403, description="Only process owners may read process definitions")
@blp.doc(security=BEARER)
def list_definitions():
    """The deployed definitions, each with its versions (newest first); process owners only."""
    return {"items": [{"process_id": d.process_id, "name": d.name, "current_version": d.current.number,
                       "versions": [version_dict(v, n) for v, n in d.versions]}
                      for d in modeller.definitions_for(db.session, current_user())]}


@blp.route("/process-definitions", methods=["POST"])
@blp.response(201, VersionSchema)
@blp.doc(security=BEARER, requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
    "required": ["file", "note"]}}, "application/xml": {"schema": {"type": "string"}}}},
    parameters=[{"in": "query", "name": "note", "schema": {"type": "string"},
                 "description": "Why this version is deployed, when the body is XML"}])
@blp.alt_response(422, description="A problem in the diagram (named by element id in `fields`), or no `note`")
def upload_definition():
    """Validate a BPMN file in full and deploy it as a new version; nothing changes on a refusal.

    A note saying why is required (issue #22: deploying is deliberate): the
    multipart field ``note``, or ``?note=`` with an XML body. Without one the
    answer is 422 with ``fields.note``. (The shared api-contract.md predates
    this rule; this docstring and the OpenAPI document are where it is
    written down.)
    """
    modeller.require_owner(current_user())  # before reading the upload
    files = _uploaded_files()
    with transaction(db.session):
        note = request.form.get("note") or request.args.get("note") or ""
        version = modeller.deploy_diagram(context(), current_user(), files, note)
    return version_dict(version)


@blp.route("/process-definitions/<process_id>/versions/<int:number>/files/<path:name>")
@blp.doc(security=BEARER, responses={"200": {"description": "The BPMN file exactly as deployed",
                                             "content": {"application/xml": {"schema": {"type": "string"}}}}})
def download_file(process_id: str, number: int, name: str):
    """Download one BPMN file of a deployed version; process owners only."""
    filename, text = modeller.file_for(db.session, current_user(), process_id, number, name)
    return Response(text, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _uploaded_files() -> dict[str, bytes]:
    """The uploaded files, their size checked as read: a chunked upload has no Content-Length to trust.

    ``MAX_CONTENT_LENGTH`` stops any body past ``BOUNDARY_MAX_REQUEST_BYTES`` while it is read (413).
    """
    if request.content_length and request.content_length > MAX_UPLOAD:
        raise InvalidInput("The file is larger than 2 MB.", {"file": ["Too large"]})
    if request.files:
        uploads = request.files.getlist("file")
        files = {(u.filename or "upload.bpmn").rsplit("/", 1)[-1]: u.read() for u in uploads if u}
    elif request.mimetype in ("application/xml", "text/xml", "application/bpmn+xml"):
        files = {request.args.get("filename", "upload.bpmn"): request.get_data()}
    else:
        files = {}
    if not files or not all(files.values()):
        raise InvalidInput("Send a BPMN file as multipart form field 'file' (or as an XML body).",
                           {"file": ["Attach a .bpmn file"]})
    if sum(len(content) for content in files.values()) > MAX_UPLOAD:
        raise InvalidInput("The file is larger than 2 MB.", {"file": ["Too large"]})
    return files
