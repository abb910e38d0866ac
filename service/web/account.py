"""Your account: the address Boundary emails you at and whether it tells you about your tasks,
your password, and the browsers signed in as you (each can be signed out from here)."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..domain.core.transaction import transaction
from ..domain.people import account as accounts, sessions, sso
from ..errors import InvalidInput
from ..extensions import db
from . import form_page
from .auth import start_session
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
    return render_template("account/account.html", form=form, sessions=sessions.live_sessions(db.session, current_user),
                           this_session=g.get("session_id"), describe=sessions.describe_agent,
                           minutes_ago=sessions.seen_minutes_ago, has_password=_has_password())


def _has_password() -> bool:
    return current_user.sso_subject is None and sso.password_allowed(current_app.config, current_user.username)


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            accounts.change_password(db.session, current_app.config, current_user,
                                     request.form.get("current_password", ""), request.form.get("new_password", ""),
                                     request.form.get("confirm_password", ""), request.remote_addr)
        except InvalidInput as error:
            errors = error.fields
        else:
            user = current_user._get_current_object()
            start_session(user)  # the new password ended every session, this one included
            flash("Your password is changed. Every other browser signed in as you has been signed out.", "success")
            return redirect(url_for("account.account"))
    status = 422 if errors else 200
    return render_template("account/password.html", errors=errors, has_password=_has_password()), status


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int):
    with transaction(db.session):
        sessions.end_own(db.session, current_user, session_id)
    if session_id == g.get("session_id"):
        session.clear()
        flash("You have signed out.", "success")
        return redirect(url_for("auth.login"))
    flash("That browser is signed out.", "success")
    return redirect(url_for("account.account") + "#sessions")
