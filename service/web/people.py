"""People: an administrator's pages to find, add and change accounts (``domain.people.admin_users``).

Each change asks for a reason, which goes on the record with the
administrator's name. Nothing here shows case data.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.core.transaction import transaction
from ..domain.people import admin_users, sso
from ..extensions import db
from . import form_page
from .pages import page_blueprint

bp = page_blueprint("people", __name__)
# The actions that ask only for a reason: (title, button, warning, domain call, message when done).
REASON_ACTIONS = {
    "deactivate": ("Deactivate {name}'s account", "Deactivate account",
                   "They are signed out everywhere at once, their API tokens stop working and the tasks they "
                   "were working on go back to their team. They cannot sign in until the account is reactivated."),
    "reactivate": ("Reactivate {name}'s account", "Reactivate account",
                   "They can sign in again with their password or their organisation's account."),
    "reset-password": ("Reset {name}'s password", "Reset password",
                       "Their old password stops working, they are signed out everywhere and their API tokens end. "
                       "You will see a temporary password to give them; they must change it when they sign in."),
}


@bp.before_request
def _administrators_only():
    if current_user.is_authenticated:
        admin_users.require_admin(current_user)


@bp.route("/admin/users")
def users():
    text = request.args.get("q", "")[:200]
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    people, total = admin_users.search(db.session, current_user, text, number)
    return render_template("admin/users.html", people=people, total=total, q=text, page=number,
                           pages=max(1, -(-total // admin_users.PAGE_SIZE)))


@bp.route("/admin/users/new", methods=["GET", "POST"])
def new_user():
    passwords = sso.local_passwords_on(current_app.config)

    def submit(data):
        with transaction(db.session):
            user, password = admin_users.create(db.session, current_user, data, passwords=passwords)
        return render_template("admin/done.html", user=user, password=password,
                               title=f"{user.display_name}'s account is ready")

    form = form_page.run(admin_users.CREATE_FORM, submit)
    if not form_page.drawn(form):
        return form
    return render_template("admin/form.html", form=form, title="Add a person", button="Add person",
                           back=url_for("people.users")), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>")
def user(user_id: int):
    person = admin_users.get(db.session, current_user, user_id)
    return render_template("admin/user.html", person=person,
                           history=admin_users.history(db.session, current_user, person))


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    person = admin_users.get(db.session, current_user, user_id)

    def submit(data):
        with transaction(db.session):
            admin_users.update_details(db.session, current_user, user_id, data)
        flash("Their details are saved.", "success")
        return redirect(url_for("people.user", user_id=user_id))

    initial = {"display_name": person.display_name, "roles": sorted(person.roles),
               **({"email": person.email} if person.email else {})}
    form = form_page.run(admin_users.EDIT_FORM, submit, initial=initial)
    if not form_page.drawn(form):
        return form
    return render_template("admin/form.html", form=form, title=f"Change {person.display_name}'s details",
                           button="Save changes", back=url_for("people.user", user_id=user_id), person=person), \
        422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/<any(deactivate, reactivate, 'reset-password'):action>", methods=["GET", "POST"])
def account_action(user_id: int, action: str):
    person = admin_users.get(db.session, current_user, user_id)
    title, button, warning = REASON_ACTIONS[action]

    def submit(data):
        reason = data.get("reason", "")
        with transaction(db.session):
            if action == "deactivate":
                released = admin_users.deactivate(db.session, current_user, user_id, reason)
                flash(f"{person.display_name}'s account is deactivated and they are signed out everywhere."
                      + (f" {released} task{'s' if released != 1 else ''} they were working on went back to "
                         "their team." if released else ""), "success")
            elif action == "reactivate":
                admin_users.reactivate(db.session, current_user, user_id, reason)
                flash(f"{person.display_name}'s account is active again.", "success")
            else:
                password = admin_users.reset_password(db.session, current_user, user_id, reason)
                return render_template("admin/done.html", user=person, password=password,
                                       title=f"{person.display_name}'s password is reset")
        return redirect(url_for("people.user", user_id=user_id))

    form = form_page.run(admin_users.REASON_FORM, submit)
    if not form_page.drawn(form):
        return form
    return render_template("admin/form.html", form=form, title=title.format(name=person.display_name),
                           button=button, warning=warning, back=url_for("people.user", user_id=user_id),
                           person=person, danger=action == "deactivate"), 422 if form.errors else 200
