"""Sign in and out with a username and password; CSRF; sessions that can be ended.

A session cookie holds the user's session generation, when it signed in and
when it was last used. It stops working when the generation moves on
(sign-out, password or role change, deactivation: ``domain.users``), after
``BOUNDARY_SESSION_IDLE_MINUTES`` unused, or ``BOUNDARY_SESSION_LIFETIME_HOURS``
after signing in. Password guesses are limited by ``domain.sign_in_limits``,
shared with the API's token endpoint.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import CSRFProtect

from ..domain.sign_in import sign_in
from ..domain.sign_in_limits import TooManyAttempts
from ..domain.transaction import transaction
from ..domain.users import end_sessions
from ..engine import clock
from ..errors import Unauthorised
from ..extensions import db
from ..logging import remember_user
from ..models import User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
# Writing the last-used time into the cookie on every request would re-send it every time.
SEEN_RESOLUTION_SECONDS = 60


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    for name in ("health", "tokens", "cases", "tasks", "definitions"):
        if name in app.blueprints:
            csrf.exempt(app.blueprints[name])  # the API uses bearer tokens, not cookies
    app.before_request(_end_stale_session)
    app.register_blueprint(bp)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or session.get("generation") != user.session_generation:
        return None
    remember_user(user)
    return user


def _end_stale_session() -> None:
    """Forget a session idle or older than the settings allow, before any page reads it."""
    if "_user_id" not in session or request.path.startswith("/api/"):
        return
    now = clock.now().timestamp()
    idle = 60 * current_app.config["SESSION_IDLE_MINUTES"]
    lifetime = 3600 * current_app.config["SESSION_LIFETIME_HOURS"]
    if now - session.get("seen_at", 0) > idle or now - session.get("signed_in_at", 0) > lifetime:
        session.clear()
        flash("You were signed out because the session had ended. Sign in again.", "info")
    elif now - session["seen_at"] > SEEN_RESOLUTION_SECONDS:
        session["seen_at"] = now


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in page cannot bounce people elsewhere."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("inbox.inbox") if "inbox" in current_app.blueprints else "/"


@bp.route("/sign-in", methods=["GET", "POST"])
def login():
    error, username, status, headers = None, "", 200, {}
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username or not password:
            error = "Enter your username and password."
        else:
            try:
                user = sign_in(db.session, current_app.config, username, password, request.remote_addr)
            except TooManyAttempts as refused:
                error, status, headers = refused.message, 429, {"Retry-After": str(refused.retry_after)}
            except Unauthorised as failure:
                error = failure.message
            else:
                login_user(user)  # the CSRF secret stays: forms opened before signing in still send
                now = clock.now().timestamp()
                session.update(generation=user.session_generation, signed_in_at=now, seen_at=now)
                return redirect(_safe_next(request.args.get("next")))
    # 200 on a wrong password: the page is a form to correct, not a failed resource.
    return render_template("web/sign_in.html", error=error, username=username), status, headers


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    """Signing out ends every session of this user, so a copied cookie dies with it."""
    with transaction(db.session):
        end_sessions(current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


def roles() -> frozenset[str]:
    return current_user.roles if current_user.is_authenticated else frozenset()
