"""The DPO's pages: subject access exports, the retention dry run, the register of disclosures."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..domain.core.transaction import transaction
from ..domain.data_protection import disclosures, retention, subject_access
from ..domain.people.permissions import Ability
from ..errors import InvalidInput
from ..extensions import db
from ..input_guard import whole_number
from ..services import context
from .pages import page_blueprint, requires_role

bp = page_blueprint("data_protection", __name__)


@bp.route("/data-protection")
@requires_role(Ability.DPO_WORK)
def home():
    return render_template("data_protection/home.html")


@bp.route("/data-protection/subject-access", methods=["GET", "POST"])
@requires_role(Ability.DPO_WORK)
def subject_access_search():
    """The person's cases, to choose which go in the export.

    The search is a POST although it changes nothing: a name in the query string
    would land in the access log, the browser history and any proxy's log.
    """
    name, reference = None, None
    if request.method == "POST":
        name, reference = request.form.get("service_user_name", ""), request.form.get("service_user_reference", "")
    found, error = None, None
    if name is not None or reference is not None:
        try:
            found = subject_access.find_cases(db.session, current_user, name, reference)
        except InvalidInput as problem:
            error = problem.message
    return render_template("data_protection/subject_access.html", found=found, error=error,
                           name=name or "", reference=reference or "")


@bp.route("/data-protection/subject-access/export", methods=["POST"])
@requires_role(Ability.DPO_WORK)
def subject_access_export():
    case_ids = [whole_number(v, "case_ids") for v in request.form.getlist("case_ids") if v.strip()]
    with transaction(db.session):
        filename, archive = subject_access.export(db.session, current_user, case_ids,
                                                  request.form.get("note", "").strip()[:500])
    return archive, 200, {"Content-Type": "application/zip", "Content-Disposition": f'attachment; filename="{filename}"'}


@bp.route("/data-protection/retention")
@requires_role(Ability.SEE_RETENTION)
def retention_dry_run():
    settings = context().settings
    return render_template("data_protection/retention.html", due=retention.due(db.session, settings, limit=500),
                           cutoff=retention.cutoff(settings), period=settings.get("RETENTION_PERIOD"))


@bp.route("/data-protection/disclosures")
@requires_role(Ability.DPO_WORK)
def disclosure_register():
    return render_template("data_protection/disclosures.html", rows=disclosures.register(db.session))
