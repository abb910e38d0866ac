"""A case's contact details: seen on the case page, changed here (every change is on the record)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain.core.transaction import transaction
from ..domain.correspondence import contact_details
from ..extensions import db
from ..services import context
from . import form_page
from .pages import page_blueprint

bp = page_blueprint("contact_details", __name__)


@bp.route("/cases/<int:case_id>/contact-details", methods=["GET", "POST"])
def edit(case_id):
    ctx = context()
    with transaction(db.session):
        case, details = contact_details.read(ctx, current_user, case_id)

    def submit(data):
        with transaction(db.session):
            contact_details.update(context(), current_user, case_id, data)
        flash("The contact details are saved. Letters will use them from now on.", "success")
        return redirect(url_for("casework.case", case_id=case_id) + "#contact-details")

    form = form_page.run(ctx.forms.load(contact_details.FORM), submit, initial=contact_details.as_data(details))
    if not form_page.drawn(form):
        return form
    return render_template("cases/form.html", title="Contact details", form=form, button="Save the contact details",
                           intro=form.schema.get("description", ""), case=case, incident=None)
