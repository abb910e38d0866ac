"""The inbox: the ready tasks for my roles, most urgent first; claim, release, reassign."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.casework.inbox import InboxFilters, inbox as inbox_query
from ..domain.core.transaction import transaction
from ..domain.people import claims
from ..domain.people.roles import NON_TASK_ROLES, ROLES
from ..engine import clock
from ..extensions import db
from . import wording
from .pages import page_blueprint

bp = page_blueprint("inbox", __name__)
wording.register(bp)


def page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", 1))), 10_000)
    except ValueError:
        return 1


@bp.route("/inbox")
def inbox():
    filters = InboxFilters(role=request.args.get("role") or None, element_id=request.args.get("type") or None,
                           page=page_number())
    rows, total, types = inbox_query(db.session, current_user, filters)
    roles = [(key, title) for key, title in ROLES.items() if key in current_user.roles and key not in NON_TASK_ROLES]
    people = claims.names(db.session, {task.claimed_by for task, _ in rows})
    return render_template("inbox/inbox.html", rows=rows, total=total, types=types, roles=roles, filters=filters,
                           pages=max(1, -(-total // filters.per_page)), now=clock.now(), people=people,
                           can_reassign=claims.can_reassign(current_user))


def _back():
    """Where the button was pressed: a path on this site, else the inbox."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return redirect(target)
    return redirect(url_for("inbox.inbox"))


@bp.route("/tasks/<task_id>/claim", methods=["POST"])
def claim(task_id):
    with transaction(db.session):
        task = claims.claim(db.session, current_user, task_id)
        title = task.title
    flash(f"You are now working on: {title}. Colleagues can see it is with you.", "success")
    return _back()


@bp.route("/tasks/<task_id>/release", methods=["POST"])
def release(task_id):
    with transaction(db.session):
        task = claims.release(db.session, current_user, task_id)
        title = task.title
    flash(f"Released: {title}. Anyone in the role can pick it up.", "success")
    return _back()


@bp.route("/tasks/<task_id>/reassign", methods=["POST"])
def reassign(task_id):
    with transaction(db.session):
        task = claims.reassign(db.session, current_user, task_id, request.form.get("username", "").strip(),
                               request.form.get("reason", ""))
        title, person = task.title, claims.names(db.session, [task.claimed_by]).get(task.claimed_by or "")
    flash(f"{title} is now with {person}.", "success")
    return _back()
