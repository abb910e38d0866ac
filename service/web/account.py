"""Your account: the address Boundary emails you at, and whether it tells you about your tasks."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain import account as accounts
from ..domain.transaction import transaction
from ..extensions import db
from . import form_page
from .pages import page_blueprint

bp = page_blueprint("account", __name__)


@bp.route("/account", methods=["GET", "POST"])
def account():
    def submit(data):
        with transaction(db.session):
            accounts.update(db.session, current_user, data)
        flash("Your email settings are saved.", "success")
        return redirect(url_for("account.account"))

    form = form_page.run(accounts.ACCOUNT_FORM, submit, initial=accounts.settings_of(current_user))
    if not form_page.drawn(form):
        return form
    return render_template("account/account.html", form=form)
