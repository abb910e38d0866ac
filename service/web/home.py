"""The front door: signed-in staff go to their inbox (an administrator with no other role to People),
others to sign in."""
from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user

from ..domain.people.admin_users import ADMIN_ROLE

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.roles == {ADMIN_ROLE} and "people" in current_app.blueprints:
        return redirect(url_for("people.users"))
    if "inbox" in current_app.blueprints:
        return redirect(url_for("inbox.inbox"))
    return redirect(url_for("auth.login"))
