"""Cases for staff: record an incident, the cases I may see, a case's record, its messages."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain import audit, cases
from ..domain.definitions import current_version, message_form
from ..domain.letters_store import letters_of
from ..domain.transaction import transaction
from ..errors import InvalidInput
from ..extensions import db
from ..services import context
from . import form_fields
from .pages import page_blueprint, requires_role

bp = page_blueprint("casework", __name__)
MESSAGES = {  # message name -> what staff call the action
    "further_incident": "Log a further incident",
    "contact_received": "Log a contact for review",
    "breach_reported": "Report a breach",
    "dispute_received": "Record a dispute",
    "partner_sharing_requested": "Request partner sharing",
}


def _start_form() -> dict:
    version = current_version(db.session, current_app.config.get("DEFAULT_PROCESS"))
    start = context().bundles.get(version).start_event
    return context().forms.load(start.properties["formJsonSchemaFilename"])


@bp.route("/cases/new", methods=["GET", "POST"])
@requires_role("case_officer")
def record_incident():
    schema, data, errors = _start_form(), {}, {}
    if request.method == "POST":
        data = form_fields.parse(schema, request.form)
        if not form_fields.form_action(request.form):
            try:
                with transaction(db.session):
                    case = cases.start_case(context(), current_user, data)
                    case_id = case.id
                flash(f"Incident recorded as case {case_id}. A line manager will review it next.", "success")
                return redirect(url_for("casework.case", case_id=case_id))
            except InvalidInput as error:
                errors = error.fields or {"_form": [error.message]}
    return render_template("cases/form.html", title="Record an incident", schema=schema,
                           fields=form_fields.describe(schema), values=form_fields.values_for_template(schema, data),
                           errors=errors, button="Record the incident")


@bp.route("/cases")
def case_list():
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    filters = cases.CaseFilters(stage=request.args.get("stage") or None, status=request.args.get("status") or None,
                                page=page)
    rows, total = cases.list_cases(context(), current_user, filters)
    return render_template("cases/list.html", rows=rows, total=total, filters=filters,
                           pages=max(1, -(-total // filters.per_page)))


@bp.route("/cases/<int:case_id>")
def case(case_id):
    with transaction(db.session):
        record = cases.view_case(context(), current_user, case_id)
        case_id = record.id
    waiting = cases.waiting_for(db.session, [case_id])[case_id]
    actions = [(w["name"], MESSAGES[w["name"]]) for w in waiting
               if w["kind"] == "message" and w["name"] in MESSAGES and record.status == "active"]
    return render_template("cases/case.html", case=record, tasks=cases.ready_tasks(db.session, [case_id])[case_id],
                           waiting=waiting, actions=actions, contacts=cases.contact_log(db.session, case_id),
                           events=audit.case_events(db.session, case_id), letters=letters_of(db.session, case_id),
                           errors={}, values={})


@bp.route("/cases/<int:case_id>/contacts", methods=["POST"])
def add_contact(case_id):
    try:
        with transaction(db.session):
            cases.add_contact(context(), current_user, case_id, request.form.get("contact_date", ""),
                              request.form.get("channel", "other"), request.form.get("summary", ""))
        flash("Contact added to the log.", "success")
    except InvalidInput as error:
        flash("The contact was not added: " + "; ".join(m for ms in error.fields.values() for m in ms), "error")
    return redirect(url_for("casework.case", case_id=case_id) + "#contact-log")


@bp.route("/cases/<int:case_id>/messages/<name>", methods=["GET", "POST"])
def message(case_id, name):
    if name not in MESSAGES:
        abort(404)
    schema, data, errors = context().forms.load(message_form(name)), {}, {}
    if request.method == "POST":
        data = form_fields.parse(schema, request.form)
        if not form_fields.form_action(request.form):
            try:
                with transaction(db.session):
                    cases.send_message(context(), current_user, case_id, name, data)
                flash(f"{MESSAGES[name]}: done. Any new task is in the inbox of the role that handles it.", "success")
                return redirect(url_for("casework.case", case_id=case_id))
            except InvalidInput as error:
                errors = error.fields or {"_form": [error.message]}
    return render_template("cases/form.html", title=MESSAGES[name], schema=schema, case_id=case_id,
                           fields=form_fields.describe(schema), values=form_fields.values_for_template(schema, data),
                           errors=errors, button=MESSAGES[name])


@bp.route("/cases/<int:case_id>/letters/<int:letter_id>")
def letter(case_id, letter_id):
    record = cases.view_case(context(), current_user, case_id)
    found = next((item for item in letters_of(db.session, record.id) if item.id == letter_id), None)
    if found is None:
        abort(404)
    db.session.commit()  # the view is recorded
    return render_template("cases/letter.html", case=record, letter=found)
