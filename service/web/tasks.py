"""The task page: what to do, the case beside it, and the form."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain import tasks
from ..domain.transaction import transaction
from ..errors import InvalidInput
from ..extensions import db
from ..models import Case
from ..services import context
from . import form_fields
from .pages import page_blueprint

bp = page_blueprint("work", __name__)


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
def task(task_id):
    detail = tasks.task_detail(context(), current_user, task_id)
    case = db.session.get(Case, detail.record.case_id)
    data, errors = {}, {}
    if request.method == "POST" and detail.record.status == "ready":
        data = form_fields.parse(detail.form, request.form)
        claimed = detail.record.claimed_by
        if form_fields.form_action(request.form):
            pass  # add or remove an item: show the form again
        elif claimed and claimed != current_user.username and not request.form.get("override"):
            errors = {"override": [f"{claimed} is working on this task. Tick the box to complete it anyway."]}
        else:
            try:
                with transaction(db.session):
                    after = tasks.complete_task(context(), current_user, task_id, data)
                    flash(_what_next(detail.record.title, after), "success")
                return redirect(url_for("inbox.inbox"))
            except InvalidInput as error:
                errors = error.fields or {"_form": [error.message]}
    return render_template("tasks/task.html", detail=detail, case=case, fields=form_fields.describe(detail.form),
                           values=form_fields.values_for_template(detail.form, data), errors=errors)


def _what_next(title: str, case: Case) -> str:
    from ..domain.cases import ready_tasks
    waiting = ready_tasks(db.session, [case.id])[case.id]
    if case.status == "closed":
        return f"'{title}' is done. Case {case.id} is now closed."
    if waiting:
        nxt = "; ".join(f"{t.title} ({(t.role or '').replace('_', ' ')})" for t in waiting)
        return f"'{title}' is done. Next on case {case.id}: {nxt}."
    return f"'{title}' is done. Case {case.id} is at the stage '{case.stage.replace('_', ' ')}'."
