"""Sign in and out with a username and password; CSRF; sessions that can be ended.

A session cookie holds the key of its row in ``user_sessions`` (``domain.people.sessions``),
when it signed in and when it was last used. It stops working when its row is
deleted (signing out, ending it from "Your account", deactivation), when the
user's session generation moves on (password or role change: ``domain.people.users``), after
``BOUNDARY_SESSION_IDLE_MINUTES`` unused, or ``BOUNDARY_SESSION_LIFETIME_HOURS``
after signing in. Password guesses are limited by ``domain.people.sign_in_limits``,
shared with the API's token endpoint.
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import CSRFProtect

from ..domain.core.transaction import transaction
from ..domain.people import sessions, sso
from ..domain.people.sign_in import sign_in
from ..domain.people.sign_in_limits import TooManyAttempts
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
    app.before_request(_temporary_password_first)
    app.register_blueprint(bp)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    key = session.get("sid")
    if not user_id.isdigit() or not isinstance(key, str):
        return None
    live = sessions.user_for_key(db.session, int(user_id), key)
    if live is None:
        return None
    g.session_id, g.session_method = live.session_id, live.method
    remember_user(live.user)
    return live.user


def start_session(user: User, method: str = "password") -> None:
    """Sign ``user`` in on this browser: a new session row and a fresh cookie."""
    lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    with transaction(db.session):
        key = sessions.start(db.session, user, request.user_agent.string, method, lifetime)
    login_user(user)  # the CSRF secret stays: forms opened before signing in still send
    now = clock.now().timestamp()
    session.update(sid=key, signed_in_at=now, seen_at=now)


# Pages a person with a temporary password may still open: the page to change it, and signing out.
_BEFORE_NEW_PASSWORD = {"account.change_password", "auth.logout", "static", "vendor.asset", "vendor.govuk_asset"}


def _temporary_password_first():
    """Someone given a temporary password chooses their own before any other page opens."""
    if (request.path.startswith("/api/") or request.endpoint in _BEFORE_NEW_PASSWORD
            or not current_user.is_authenticated or not current_user.must_change_password):
        return None
    return redirect(url_for("account.change_password"))


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
        if isinstance(session.get("sid"), str):
            with transaction(db.session):
                sessions.touch(db.session, session["sid"])


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in page cannot bounce people elsewhere."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("inbox.inbox") if "inbox" in current_app.blueprints else "/"


@bp.route("/sign-in", methods=["GET", "POST"])
def login():
    error, username, status, headers = None, "", 200, {}
    sso_on = sso.configured(current_app.config)
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
                start_session(user)
                if user.must_change_password:
                    flash("You were given a temporary password. Choose your own password to carry on.", "info")
                    return redirect(url_for("account.change_password"))
                return redirect(safe_next(request.args.get("next")))
    # 200 on a wrong password: the page is a form to correct, not a failed resource.
    return render_template("web/sign_in.html", error=error, username=username, sso_on=sso_on,
                           passwords_on=sso.local_passwords_on(current_app.config),
                           next=request.args.get("next", "")), status, headers


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    """Signing out ends this browser's session, so a copied cookie dies with it. After single
    sign-on, the page offers the provider's sign-out too (its own session is the provider's to end)."""
    method, id_token = g.get("session_method"), session.get("sso_id_token")
    with transaction(db.session):
        sessions.end(db.session, session["sid"])
    logout_user()
    session.clear()
    if method == "sso" and "sso.signed_out" in current_app.view_functions:
        session["sso_id_token_hint"] = id_token  # the provider's sign-out link names whose session it ends
        return redirect(url_for("sso.signed_out"))
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


def roles() -> frozenset[str]:
    return current_user.roles if current_user.is_authenticated else frozenset()
