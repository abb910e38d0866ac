from flask_smorest import Blueprint

from ..domain.casework import tasks
from ..domain.core.transaction import transaction
from ..extensions import db
from ..services import context
from .auth import BEARER, current_user, require_token
from .presenters import case_dict, task_dict
from .schemas import CaseSchema, CompleteSchema, TaskDetailSchema, TaskListSchema, TaskQuerySchema

blp = Blueprint("tasks", __name__, description="Human tasks")
blp.before_request(require_token)


@blp.route("/tasks")
@blp.arguments(TaskQuerySchema, location="query")
@blp.response(200, TaskListSchema)
@blp.doc(security=BEARER)
def list_tasks(query):
    """The ready tasks the caller may complete, most urgent first: all of them, or one page with ``per_page``."""
    per_page = query.get("per_page")
    if per_page is None:
        return {"items": [task_dict(t) for t in tasks.list_tasks(context(), current_user())]}
    page = query.get("page", 1)
    found = tasks.list_tasks(context(), current_user(), limit=per_page, offset=(page - 1) * per_page)
    return {"items": [task_dict(t) for t in found], "page": page, "per_page": per_page}


@blp.route("/tasks/<task_id>")
@blp.response(200, TaskDetailSchema)
@blp.doc(security=BEARER)
def get_task(task_id):
    """A task with its form (JSON Schema) and what to do."""
    ctx = context()
    detail = tasks.task_detail(ctx, current_user(), task_id)
    return {**task_dict(detail.record), "status": detail.record.status,
            "documentation": detail.info.documentation, "form": detail.form, "prefill": detail.prefill,
            "shown": [{"field": s.field, "title": s.title, "text": s.text} for s in tasks.shown_for_api(ctx, detail)]}


@blp.route("/tasks/<task_id>/complete", methods=["POST"])
@blp.arguments(CompleteSchema)
@blp.response(200, CaseSchema)
@blp.doc(security=BEARER)
def complete_task(body, task_id):
    """Complete a ready task with its form's fields; one someone else claimed needs ``"override": true``.

    A task that names a letter issues it as it completes: ``delivery``, ``postal_address`` and ``email``
    (in its form from ``GET /tasks/<id>``, with the case's contact details as defaults) may be sent in
    ``data``; what is left out comes from the case (``domain.correspondence.letter_delivery``), and a way of sending
    with no address to go to is a 422 naming the field."""
    # The answer is read inside the transaction: after the commit it would cost
    # a second transaction (and on PostgreSQL seven more round trips) to reload it.
    with transaction(db.session):
        done = tasks.complete_task(context(), current_user(), task_id, body["data"], override=body["override"])
        answer = case_dict(done.case)
    return answer
