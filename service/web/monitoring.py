"""Supervisor pages: dashboard, every case with filters and CSV, a case on its diagram, the yearly report."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.casework import case_facts, cases, timers
from ..domain.core import audit, engine_incidents
from ..domain.core.transaction import transaction
from ..domain.core.vocabulary import STAGES, case_reference
from ..domain.correspondence.letters_store import letters_of
from ..domain.definitions.modeller import main_file
from ..domain.definitions.versions import all_versions, current_version
from ..domain.monitoring import dashboard as monitoring, reports, supervision
from ..domain.people import claims
from ..domain.people.access import load_visible_case
from ..domain.people.permissions import Ability
from ..domain.people.roles import ROLES
from ..engine import clock
from ..errors import InvalidInput
from ..extensions import db
from ..input_guard import whole_number
from ..services import context
from . import case_record, facts
from .pages import page_blueprint, requires_role

bp = page_blueprint("monitoring", __name__)
bp.before_request(requires_role(Ability.SUPERVISE)(lambda: None))


def _day(name: str) -> datetime | None:
    try:
        value = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def _filters() -> monitoring.MonitorFilters:
    args = request.args
    page = whole_number(args["page"], "page", high=10_000_000) if args.get("page") else 1
    version = whole_number(args["version"], "version") if args.get("version") else None
    return monitoring.MonitorFilters(
        stage=args.get("stage") or None, status=args.get("status") or None, role=args.get("role") or None,
        overdue=args.get("overdue") == "yes", person=args.get("person") or None, matter=args.get("matter") or None,
        opened_from=_day("from"), opened_to=_day("to"), version=version,
        sort=args.get("sort", "updated"), page=page)


@bp.route("/monitoring")
def dashboard():
    today = clock.now()
    start = datetime(today.year, 1, 1, tzinfo=timezone.utc)
    report = reports.count_figures(db.session, start, datetime(today.year + 1, 1, 1, tzinfo=timezone.utc))
    board = monitoring.dashboard(db.session)
    return render_template("monitoring/dashboard.html", board=board, report=report,
                           incidents=timers.list_incidents(db.session),
                           engine_incidents=engine_incidents.list_open(db.session),
                           figure_names=reports.FIGURE_NAMES,
                           chart=report.per_month)


@bp.route("/monitoring/diagram.bpmn")
def current_diagram():
    """The main diagram of the current version, for the dashboard's per-element counts."""
    version = current_version(db.session, current_app.config["DEFAULT_PROCESS"])
    return Response(version.files[main_file(version)], mimetype="application/xml")


@bp.route("/monitoring/cases")
def case_list():
    filters = _filters()
    if request.args.get("format") == "csv":
        with transaction(db.session):
            text = monitoring.export_csv(db.session, current_user.username, filters)
        return Response(text, mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=cases.csv"})
    rows, total = monitoring.list_cases(db.session, filters)
    return render_template("monitoring/cases.html", rows=rows, total=total, filters=filters, roles=ROLES, stages=STAGES,
                           versions=all_versions(db.session),
                           pages=max(1, -(-total // filters.per_page)), args=request.args)


@bp.route("/monitoring/cases/<int:case_id>")
def case(case_id):
    """The case on its diagram; ``?process=`` drills into a called process."""
    process = request.args.get("process") or None
    with transaction(db.session):
        record = cases.view_case(context(), current_user, case_id)
        picture = monitoring.case_picture(context(), record, process)
    marks = {k: picture[k] for k in ("completed", "active", "waiting", "calls", "counts", "incidents")}
    ready = cases.ready_tasks(db.session, [case_id])[case_id]
    timeline, views = case_record.entries(context(), record, audit.case_events(db.session, case_id))
    return render_template("monitoring/case.html", case=record, picture=picture, marks=marks,
                           timeline=timeline, views=views, letters=letters_of(db.session, case_id),
                           tasks=ready, holders=claims.candidates(db.session, {t.role for t in ready}),
                           people=claims.names(db.session, {t.claimed_by for t in ready}),
                           current_data=facts.grouped(case_facts.current(context(), record, picture["data"])))


@bp.route("/monitoring/cases/<int:case_id>/diagram.bpmn")
def case_diagram(case_id):
    """The BPMN the page draws: no personal data, so not a view of the case (the page was)."""
    record = load_visible_case(db.session, current_user, case_id)
    _, _, xml = monitoring.diagram_file(context(), record, request.args.get("process") or None)
    return Response(xml, mimetype="application/xml")


@bp.route("/monitoring/cases/<int:case_id>/action", methods=["POST"])
def act(case_id):
    try:
        with transaction(db.session):
            record = supervision.act(context(), current_user, case_id, request.form.get("action", ""),
                                     request.form.get("reason", ""))
            status = record.status
        flash(f"Case {case_reference(case_id)} is now {status}.", "success")
    except InvalidInput as error:
        flash(error.message, "error")
    return redirect(url_for("monitoring.case", case_id=case_id))


@bp.route("/monitoring/cases/<int:case_id>/retry", methods=["POST"])
def retry(case_id):
    try:
        with transaction(db.session):
            timers.retry_incident(context(), current_user.username, case_id, request.form.get("reason", ""))
        flash(f"Case {case_reference(case_id)} goes back to the timer worker.", "success")
    except InvalidInput as error:
        flash(error.message, "error")
    return redirect(url_for("monitoring.dashboard"))


@bp.route("/monitoring/engine-incidents/<int:incident_id>/resolve", methods=["POST"])
def resolve_engine_incident(incident_id):
    try:
        with transaction(db.session):
            incident = engine_incidents.resolve(context(), current_user.username, incident_id,
                                                request.form.get("reason", ""))
        flash(f"The incident on case {case_reference(incident.case_id)} is resolved.", "success")
    except InvalidInput as error:
        flash(error.message, "error")
    return redirect(url_for("monitoring.dashboard"))


@bp.route("/monitoring/report")
def report():
    today = clock.now()
    start = _day("from") or datetime(today.year, 1, 1, tzinfo=timezone.utc)
    end = _day("to") or today
    result = reports.yearly_report(db.session, start, end)
    if request.args.get("format") == "csv":
        with transaction(db.session):
            text = reports.export_csv(db.session, current_user.username, result, start, end)
        return Response(text, mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=report.csv"})
    return render_template("monitoring/report.html", report=result, start=start, end=end,
                           figure_names=reports.FIGURE_NAMES)
