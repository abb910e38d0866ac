"""The inbox: my ready tasks, most urgent first; claim, release, reassign."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain import claims
from ..domain.inbox import InboxFilters, inbox as inbox_query
from ..domain.roles import ROLES
from ..domain.transaction import transaction
from ..engine import clock
from ..extensions import db
from .pages import page_blueprint

bp = page_blueprint("inbox", __name__)


def _int(name: str, default: int) -> int:
    try:
        return max(1, int(request.args.get(name, default)))
    except ValueError:
        return default


@bp.route("/inbox")
def inbox():
    filters = InboxFilters(role=request.args.get("role") or None, element_id=request.args.get("type") or None,
                           page=_int("page", 1))
    rows, total, types = inbox_query(db.session, current_user, filters)
    roles = [(key, ROLES[key]) for key in ROLES if key in current_user.roles]
    pages = max(1, -(-total // filters.per_page))
    return render_template("inbox/inbox.html", rows=rows, total=total, types=types, roles=roles, filters=filters,
                           pages=pages, now=clock.now())


@bp.route("/tasks/<task_id>/claim", methods=["POST"])
def claim(task_id):
    with transaction(db.session):
        task = claims.claim(db.session, current_user, task_id)
    flash(f"You are now working on '{task.title}'.", "success")
    return redirect(request.form.get("next") or url_for("inbox.inbox"))


@bp.route("/tasks/<task_id>/release", methods=["POST"])
def release(task_id):
    with transaction(db.session):
        task = claims.release(db.session, current_user, task_id)
    flash(f"'{task.title}' is free for anyone in the role to pick up.", "success")
    return redirect(request.form.get("next") or url_for("inbox.inbox"))


@bp.route("/tasks/<task_id>/reassign", methods=["POST"])
def reassign(task_id):
    with transaction(db.session):
        task = claims.reassign(db.session, current_user, task_id, request.form.get("username", "").strip())
    flash(f"'{task.title}' is now with {task.claimed_by}.", "success")
    return redirect(request.form.get("next") or url_for("inbox.inbox"))
