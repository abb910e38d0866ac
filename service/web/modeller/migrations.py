"""Moving running cases onto a newer version: dry run, move selected or all, summary.

Without JavaScript the form posts every chosen case at once and the server
moves them one transaction each, then shows the summary. With JavaScript
the page posts one case at a time to ``migrate_case`` so the owner sees the
progress, and builds the same summary from the answers.
"""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import current_user

from ...domain.casework import migration
from ...domain.core.transaction import transaction
from ...domain.definitions import modeller
from ...extensions import db
from ...input_guard import whole_number
from ...services import context
from ..pages import requires_role
from .views import OWNER, bp


@bp.route("/processes/versions/<int:version_id>/migrate", endpoint="migrate")
@requires_role(OWNER)
def dry_run(version_id: int):
    target = modeller.get_version(db.session, version_id)
    moves = migration.dry_run(context(), version_id)
    return render_template("modeller/migrate.html", page_title=f"Move cases to {target.label}", target=target,
                           moves=moves, movable=[m for m in moves if m.movable])


@bp.route("/processes/versions/<int:version_id>/migrate", methods=["POST"])
@requires_role(OWNER)
def migrate_selected(version_id: int):
    target = modeller.get_version(db.session, version_id)
    if request.form.get("scope") == "all":
        case_ids = [m.case_id for m in migration.dry_run(context(), version_id) if m.movable]
    else:
        case_ids = _ids(request.form.getlist("case_id"))
    if not case_ids:
        moves = migration.dry_run(context(), version_id)
        return render_template("modeller/migrate.html", page_title=f"Move cases to {target.label}", target=target,
                               moves=moves, movable=[m for m in moves if m.movable],
                               error_title="Select at least one case to move."), 422
    summary = migration.migrate_cases(context(), current_user, case_ids, version_id)
    return render_template("modeller/migrate_summary.html", page_title="Cases moved", target=target,
                           summary=summary)


@bp.route("/migrate-case", methods=["POST"])
@requires_role(OWNER)
def migrate_case():
    """One case, one transaction: what the progress bar posts for each case."""
    body = request.get_json(silent=True) or {}
    version_id = whole_number(body.get("version_id", ""), "version_id")
    case_id = whole_number(body.get("case_id", ""), "case_id")
    with transaction(db.session):
        result = migration.migrate_case(context(), current_user, case_id, version_id)
    return jsonify({"case_id": result.case_id, "moved": result.moved, "reasons": result.reasons,
                    "from_version": result.from_version, "to_version": result.to_version})


def _ids(values) -> list[int]:
    return [whole_number(v, "case_id") for v in values]
