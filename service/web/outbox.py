"""The outbox: every email Boundary has sent or will send, as staff may see them (``domain.correspondence.outbox``).

In development, with no SMTP server set, it is where mail is read; in production it is
where failures are found and sent again.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.core.transaction import transaction
from ..domain.correspondence import outbox
from ..extensions import db
from .inbox import page_number
from .pages import page_blueprint

bp = page_blueprint("outbox", __name__)
STATUS_NAMES = {"pending": "Waiting to send", "sent": "Sent", "failed": "Not sent", "outbox": "Kept here (not sent)"}


@bp.app_template_filter("email_status")
def email_status(status: str) -> str:
    return STATUS_NAMES.get(status, status)


EMAIL_ACTIONS = ("email_sent", "email_failed", "email_retried")


def describe_email(action: str, data: dict) -> tuple[str, list[tuple[str, str]]]:
    """An email's outcome on the case's record, in words (``case_record``)."""
    to = data.get("to", "")
    if action == "email_sent":
        return f"Email sent to {to}", [("Subject", data.get("subject", ""))]
    if action == "email_retried":
        return f"Asked for the email to {to} to be sent again", [("Subject", data.get("subject", ""))]
    text = (f"An email to {to} could not be sent after {data.get('attempt')} tries: it needs someone to retry it"
            if data.get("final") else f"An email to {to} could not be sent; it will be tried again")
    return text, [("Subject", data.get("subject", "")), ("Error", data.get("error", ""))]


@bp.route("/outbox")
def outbox_page():
    status = request.args.get("status") or None
    filters = outbox.OutboxFilters(status=status if status in outbox.STATUSES else None, page=page_number())
    rows, total = outbox.emails(db.session, current_user, filters)
    return render_template("outbox/outbox.html", rows=rows, total=total, filters=filters,
                           pages=max(1, -(-total // filters.per_page)), statuses=list(STATUS_NAMES.items()))


@bp.route("/outbox/<int:email_id>")
def email(email_id):
    with transaction(db.session):
        found, attachment = outbox.view(db.session, current_user, email_id)
    return render_template("outbox/email.html", email=found, attachment=attachment)


@bp.route("/outbox/<int:email_id>/attachment.pdf")
def attachment(email_id):
    with transaction(db.session):
        name, pdf = outbox.attachment(db.session, current_user, email_id)
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{name}"'}


@bp.route("/outbox/<int:email_id>/retry", methods=["POST"])
def retry(email_id):
    with transaction(db.session):
        found = outbox.retry(db.session, current_user, email_id)
        to, case_id = found.to_address, found.case_id
    flash(f"The email to {to} will be sent again now.", "success")
    if request.form.get("back") == "case" and case_id is not None:
        return redirect(url_for("casework.case", case_id=case_id) + "#emails")
    return redirect(url_for("outbox.email", email_id=email_id))
