from types import SimpleNamespace

from flask_smorest import Blueprint

from ..domain.casework import cases
from ..domain.core.transaction import transaction
from ..extensions import db
from ..services import context
from .auth import BEARER, current_user, require_token
from .presenters import case_dict, case_dicts
from .schemas import (
    AuditEventSchema,
    AuditListSchema,
    CaseListSchema,
    CaseQuerySchema,
    CaseSchema,
    IncidentSchema,
    LetterListSchema,
    LetterSchema,
    MessageSchema,
)

blp = Blueprint("cases", __name__, description="Cases: one person, one matter")
blp.before_request(require_token)


@blp.route("/cases", methods=["POST"])
@blp.arguments(IncidentSchema)
@blp.response(201, CaseSchema)
@blp.doc(security=BEARER)
def start_case(fields):
    """Record an incident, which starts a case."""
    with transaction(db.session):
        case = cases.start_case(context(), current_user(), fields)
        answer = case_dict(case)  # inside the transaction: no reload after the commit
    return answer


@blp.route("/cases", methods=["GET"])
@blp.arguments(CaseQuerySchema, location="query")
@blp.response(200, CaseListSchema)
@blp.doc(security=BEARER)
def list_cases(query):
    """The cases the caller may see, newest change first."""
    filters = cases.CaseFilters(**query)
    rows, total = cases.list_cases(context(), current_user(), filters)
    return {"items": case_dicts(rows), "page": filters.page, "per_page": filters.per_page, "total": total}


@blp.route("/cases/<int:case_id>")
@blp.response(200, CaseSchema)
@blp.doc(security=BEARER)
def get_case(case_id):
    """One case (the view is recorded in its audit record)."""
    with transaction(db.session):
        case = cases.view_case(context(), current_user(), case_id)
        body = case_dict(case)
    return body


@blp.route("/cases/<int:case_id>/messages", methods=["POST"])
@blp.arguments(MessageSchema)
@blp.response(202, CaseSchema)
@blp.doc(security=BEARER)
def send_message(message, case_id):
    """Deliver a message (further incident, contact received, breach, dispute, partner sharing)."""
    with transaction(db.session):
        case = cases.send_message(context(), current_user(), case_id, message["name"], message["data"])
        answer = case_dict(case)  # inside the transaction: no reload after the commit
    return answer


@blp.route("/cases/<int:case_id>/audit")
@blp.response(200, AuditListSchema)
@blp.doc(security=BEARER)
def case_audit(case_id):
    """The case's record of every view, action and decision, oldest first (the read is recorded)."""
    with transaction(db.session):
        body = {"items": _plain(cases.read_audit(context(), current_user(), case_id), AuditEventSchema)}
    return body


@blp.route("/cases/<int:case_id>/letters")
@blp.response(200, LetterListSchema)
@blp.doc(security=BEARER)
def case_letters(case_id):
    """The letters produced on the case (the read is recorded)."""
    with transaction(db.session):
        body = {"items": _plain(cases.read_letters(context(), current_user(), case_id), LetterSchema)}
    return body


def _plain(rows, schema) -> list[SimpleNamespace]:
    """The schema's fields of each row, read inside the transaction (after the commit they would reload)."""
    names = list(schema().fields)
    return [SimpleNamespace(**{name: getattr(row, name) for name in names}) for row in rows]
