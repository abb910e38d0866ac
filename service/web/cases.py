"""Cases for staff: record an incident, the cases I may see, a case's record,
its contact log and the messages it can take now (letters: ``letters``)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.casework import case_overview, cases, contacts
from ..domain.core import audit
from ..domain.core.transaction import transaction
from ..domain.core.vocabulary import STAGES
from ..domain.correspondence import contact_details, outbox
from ..domain.correspondence.letters_store import letters_of
from ..domain.data_protection import disclosures
from ..domain.people import claims
from ..domain.people.access import load_visible_case
from ..domain.people.permissions import Ability
from ..extensions import db
from ..services import context
from . import case_history, case_record, form_page, wording
from .inbox import page_number
from .pages import page_blueprint, requires_role

bp = page_blueprint("casework", __name__)


@bp.route("/cases/new", methods=["GET", "POST"])
@requires_role(Ability.START_CASES)
def record_incident():
    def submit(data):
        with transaction(db.session):
            case = cases.start_case(context(), current_user, data)
            message = wording.what_next(f"Incident recorded as case {wording.case_ref(case.id)}", case,
                                        cases.ready_tasks(db.session, [case.id])[case.id])
            case_id = case.id
        flash(message, "success")
        return redirect(url_for("casework.case", case_id=case_id))

    form = form_page.run(case_overview.start_form(context()), submit)
    if not form_page.drawn(form):
        return form
    return render_template("cases/form.html", title="Record an incident", form=form, button="Record the incident",
                           intro="Record what happened. Saving it opens a case, and its first task goes straight "
                                 "to the inbox of the role that deals with it.")


@bp.route("/cases")
def case_list():
    filters = cases.CaseFilters(stage=request.args.get("stage") or None, status=request.args.get("status") or None,
                                text=(request.args.get("q") or "").strip()[:100] or None, page=page_number())
    rows, total = cases.list_cases(context(), current_user, filters)
    return render_template("cases/list.html", rows=rows, total=total, filters=filters,
                           pages=max(1, -(-total // filters.per_page)),
                           stages=[(s, wording.stage_title(s)) for s in STAGES],
                           statuses=list(wording.STATUSES.items()),
                           next_tasks=cases.ready_tasks(db.session, [c.id for c in rows]))


@bp.route("/cases/<int:case_id>")
def case(case_id):
    ctx = context()
    with transaction(db.session):
        record = cases.view_case(ctx, current_user, case_id)  # the view goes on the record
        case_id = record.id
    ready = cases.ready_tasks(db.session, [case_id])[case_id]
    entries, views = case_record.entries(ctx, record, audit.case_events(db.session, case_id))
    contact_log = contacts.contact_log(db.session, case_id)
    people = claims.names(db.session, {t.claimed_by for t in ready} | {record.created_by}
                          | {c.logged_by for c in contact_log})
    holders = claims.candidates(db.session, {t.role for t in ready}) if claims.can_reassign(current_user) else {}
    return render_template("cases/case.html", case=record, tasks=ready, people=people, holders=holders,
                           waiting=cases.waiting_for(db.session, [case_id])[case_id],
                           messages=case_overview.open_messages(ctx, record),
                           contacts=contact_log, entries=entries, views=views,
                           letters=letters_of(db.session, case_id),
                           contact_details=contact_details.of(db.session, case_id),
                           disclosures=disclosures.of_case(db.session, case_id),
                           emails=outbox.of_case(db.session, case_id),
                           **case_history.page_parts(ctx, record, entries, request.args.get("order") == "newest"))


@bp.route("/cases/<int:case_id>/contacts/new", methods=["GET", "POST"])
def add_contact(case_id):
    ctx = context()
    record = load_visible_case(db.session, current_user, case_id)
    case_record.shown(ctx, current_user, record.id)

    def submit(data):
        with transaction(db.session):
            entry = contacts.add_contact(context(), current_user, record.id, data)
        flash("The contact is in the log." if entry else
              "The contact is in the log and a case officer will review it (a contact strategy is in place).",
              "success")
        return redirect(url_for("casework.case", case_id=record.id) + "#contact-log")

    form = form_page.run(contacts.CONTACT_FORM, submit)
    if not form_page.drawn(form):
        return form
    return _case_form(ctx, record, form, "Add a contact to the log", "Add to the log",
                      "While a contact strategy is in place, a case officer reviews every contact added here.")


@bp.route("/cases/<int:case_id>/messages/<name>", methods=["GET", "POST"])
def message(case_id, name):
    ctx = context()
    record, schema = case_overview.message_target(ctx, current_user, case_id, name)
    case_record.shown(ctx, current_user, record.id)

    def submit(data):
        before = {t.id for t in cases.ready_tasks(db.session, [record.id])[record.id]}
        with transaction(db.session):
            changed = cases.send_message(context(), current_user, record.id, name, data)
            new = [t for t in cases.ready_tasks(db.session, [changed.id])[changed.id] if t.id not in before]
            text = wording.what_next(f"Done: {wording.message_done(name).lower()}", changed, new)
        flash(text, "success")
        return redirect(url_for("casework.case", case_id=record.id))

    known = {"service_user_name": record.service_user_name, "service_user_reference": record.service_user_reference,
             "matter_reference": record.matter_reference}  # a further incident is about the same person and matter
    form = form_page.run(schema, submit, initial={k: v for k, v in known.items()
                                                  if v and k in (schema.get("properties") or {})})
    if not form_page.drawn(form):
        return form
    return _case_form(ctx, record, form, wording.message_action(name), wording.message_action(name),
                      schema.get("description", ""))


def _case_form(ctx, record, form, title, button, intro):
    return render_template("cases/form.html", title=title, form=form, button=button, intro=intro, case=record,
                           incident=case_record.incident_answers(ctx, record))
