"""The task page: what to do and why (the documentation and its policy clauses),
the case beside it, and the form; completing it goes back to the inbox with
what happens next."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.casework import case_facts, tasks
from ..domain.core import audit
from ..domain.core.transaction import transaction
from ..domain.correspondence import letter_delivery
from ..domain.people import claims
from ..extensions import db
from ..models.statuses import TaskStatus
from ..services import context
from . import case_record, facts, form_fields, form_page, wording
from .pages import page_blueprint

bp = page_blueprint("work", __name__)


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
def task(task_id):
    ctx = context()
    detail = tasks.task_detail(ctx, current_user, task_id)
    case_record.shown(ctx, current_user, detail.record.case_id)
    case = detail.case
    form = None
    if detail.record.status == TaskStatus.READY:
        # Pre-filled terms in force (x-prefill) first; a proposal sent back keeps its previous answers over them.
        initial = {**detail.prefill, **case_facts.previous_answers(ctx, case, detail.info)}
        form = form_page.run(detail.form, lambda data: _complete(detail, data), initial=initial)
        if not form_page.drawn(form):
            return form
    record, _ = case_record.entries(ctx, case, audit.case_events(db.session, case.id))
    holders = claims.candidates(db.session, [detail.record.role]).get(detail.record.role or "", [])
    text, clauses = wording.policy_parts(detail.info.documentation)
    preview = letter_delivery.preview(ctx, case, detail.info, detail.record.id, form_fields.parse(
        detail.form, request.form) if request.method == "POST" else None) if form is not None else None
    return render_template(
        "tasks/task.html", detail=detail, case=case, form=form, documentation=text, clauses=clauses,
        incident=case_record.incident_answers(ctx, case), further=case_record.further_incident_answers(ctx, case),
        earlier=[e for e in reversed(record) if e.details][:5],
        people=claims.names(db.session, [detail.record.claimed_by, detail.record.completed_by]),
        holders=holders if claims.can_reassign(current_user) else [], preview=preview,
        deciding=facts.grouped(case_facts.deciding(ctx, case, detail.record.id, detail.info)))


def _complete(detail: tasks.TaskDetail, data: dict) -> Response:
    with transaction(db.session):
        done = tasks.complete_task(context(), current_user, detail.record.id, data,
                                   override=request.form.get("override") == "yes")
        message = wording.what_next(f"Done: {detail.info.title}", done.case, done.new_tasks)
    flash(message, "success")
    return redirect(url_for("inbox.inbox"))
