"""Sign in and out with a username and password; CSRF and rate limits."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import CSRFProtect

from ..domain.users import authenticate
from ..errors import Unauthorised
from ..extensions import db
from ..logging import remember_user
from ..models import User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://")


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    for name in ("health", "tokens", "cases", "tasks", "definitions"):
        if name in app.blueprints:
            csrf.exempt(app.blueprints[name])  # the API uses bearer tokens, not cookies
    app.register_blueprint(bp)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active:
        return None
    remember_user(user)
    return user


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in page cannot bounce people elsewhere."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("inbox.inbox") if "inbox" in _blueprints() else "/"


def _blueprints():
    from flask import current_app
    return current_app.blueprints


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"],
               error_message="Too many sign-in attempts. Wait a minute and try again.")
def login():
    error, username = None, ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username or not password:
            error = "Enter your username and password."
        else:
            try:
                user = authenticate(db.session, username, password)
            except Unauthorised as failure:
                error = failure.message
            else:
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
    # 200 even on failure: the page is a form to correct, not a failed resource.
    return render_template("web/sign_in.html", error=error, username=username)


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


def roles() -> frozenset[str]:
    return current_user.roles if current_user.is_authenticated else frozenset()
