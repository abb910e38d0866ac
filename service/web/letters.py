"""A case's letters: read the draft, preview its PDF, issue it, print or download it."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain.core.transaction import transaction
from ..domain.correspondence import letter_issue
from ..extensions import db
from ..services import context
from . import form_page
from .pages import page_blueprint

bp = page_blueprint("letters", __name__)


@bp.route("/cases/<int:case_id>/letters/<int:letter_id>")
def letter(case_id, letter_id):
    with transaction(db.session):
        found = letter_issue.view(context(), current_user, case_id, letter_id)
    return render_template("cases/letter.html", case=found.case, letter=found)


@bp.route("/cases/<int:case_id>/letters/<int:letter_id>/print")
def print_letter(case_id, letter_id):
    """The letter on its own, as it was produced, to print from the browser (only the site's icon
    is added, so the browser does not ask for a /favicon.ico that is not there)."""
    with transaction(db.session):
        found = letter_issue.view(context(), current_user, case_id, letter_id)
    icon = f'<link rel="icon" href="{url_for("vendor.govuk_asset", filename="images/favicon.ico")}">'
    return found.html.replace("<head>", "<head>" + icon, 1), 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.route("/cases/<int:case_id>/letters/<int:letter_id>.pdf")
def letter_pdf(case_id, letter_id):
    """The PDF as issued, or a preview of a draft (marked as such in its file name)."""
    with transaction(db.session):
        found, pdf = letter_issue.pdf_of(context(), current_user, case_id, letter_id)
    name = f"{found.name}-{case_id}{'' if found.status == 'issued' else '-draft-preview'}.pdf"
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{name}"'}


@bp.route("/cases/<int:case_id>/letters/<int:letter_id>/issue", methods=["GET", "POST"])
def issue(case_id, letter_id):
    ctx = context()
    with transaction(db.session):
        found = letter_issue.view(ctx, current_user, case_id, letter_id)

    def submit(data):
        with transaction(db.session):
            issued = letter_issue.issue(ctx, current_user, case_id, letter_id, data)
        how = " and ".join((issued.channels or "").split(","))
        flash(f"Issued: {issued.title}, by {how}.", "success")
        return redirect(url_for("letters.letter", case_id=case_id, letter_id=letter_id))

    form = form_page.run(ctx.forms.load(letter_issue.ISSUE_FORM), submit, initial=letter_issue.issue_defaults(ctx, found))
    if not form_page.drawn(form):
        return form
    return render_template("cases/form.html", title=f"Issue: {found.title}", form=form, button="Issue the letter",
                           intro=form.schema.get("description", ""), case=found.case, incident=None)
