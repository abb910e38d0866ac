"""Single sign-on with OpenID Connect (Authlib's Flask client): the authorization code flow with PKCE.

``/sign-in/sso`` sends the browser to the provider with a fresh state, nonce
and PKCE verifier (kept in the signed session cookie); ``/sign-in/sso/callback``
checks the state, swaps the code for tokens and verifies the ID token against
the provider's published keys (signature, issuer, audience, expiry, nonce).
Only then does ``domain.people.sso`` say who the person is in Boundary. Any failure is
a plain page that says to try again; nothing from the provider is echoed.
"""
from __future__ import annotations

import logging

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from joserfc.errors import JoseError

from ..domain.core.transaction import transaction
from ..domain.people import sso
from ..errors import Forbidden, Unauthorised
from ..extensions import db
from .auth import safe_next, start_session

bp = Blueprint("sso", __name__)
log = logging.getLogger(__name__)
# How long Boundary waits for the provider's discovery document, keys and token endpoint.
PROVIDER_TIMEOUT_SECONDS = 10
_CLIENT = "boundary.oidc"


def client(app: Flask):
    """The app's Authlib client, made on first use from the settings (the provider's documents are cached in it)."""
    config = app.config
    key = tuple(str(config.get(name))
                for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES"))
    made = app.extensions.get(_CLIENT)
    if made is None or made[0] != key:
        oauth = OAuth(app)
        issuer = str(config["OIDC_ISSUER"]).rstrip("/")
        remote = oauth.register(
            "boundary", client_id=config["OIDC_CLIENT_ID"], client_secret=config.get("OIDC_CLIENT_SECRET"),
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": config.get("OIDC_SCOPES") or "openid", "code_challenge_method": "S256",
                           "default_timeout": PROVIDER_TIMEOUT_SECONDS})
        made = app.extensions[_CLIENT] = (key, remote)
    return made[1]


def _refused(message: str, status: int = 400):
    return render_template("sso/refused.html", message=message), status


@bp.route("/sign-in/sso")
def start():
    if not sso.configured(current_app.config):
        return _refused("Single sign-on is not set up here. Sign in with your username and password.", 404)
    session["sso_next"] = safe_next(request.args.get("next"))
    try:
        return client(current_app).authorize_redirect(url_for("sso.callback", _external=True))
    except (requests.RequestException, ValueError) as error:
        log.warning("single sign-on: the provider could not be reached: %s", error)
        return _refused("Your organisation's sign-in service could not be reached. Try again in a few minutes.", 502)


@bp.route("/sign-in/sso/callback")
def callback():
    if not sso.configured(current_app.config):
        return _refused("Single sign-on is not set up here. Sign in with your username and password.", 404)
    remote = client(current_app)
    issuer = str(current_app.config["OIDC_ISSUER"])
    try:
        token = remote.authorize_access_token(claims_options={
            "iss": {"essential": True, "values": list({issuer, issuer.rstrip("/")})}})
    except (OAuthError, JoseError, KeyError, ValueError) as error:
        # a tampered or replayed state, a code the provider refused, an ID token whose signature,
        # issuer, audience, expiry or nonce is wrong
        log.warning("single sign-on refused: %s", type(error).__name__)
        return _refused("Signing in with your organisation's account did not work. Go back to the sign-in page "
                        "and try again.")
    except requests.RequestException as error:
        log.warning("single sign-on: the provider could not be reached: %s", error)
        return _refused("Your organisation's sign-in service could not be reached. Try again in a few minutes.", 502)
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        log.warning("single sign-on refused: no verified ID token in the token response")
        return _refused("Signing in with your organisation's account did not work. Go back to the sign-in page "
                        "and try again.")
    try:
        with transaction(db.session):
            user = sso.sign_in_from_claims(db.session, current_app.config, dict(claims))
    except sso.NoMappedGroup as refusal:
        return render_template("sso/no_role.html", message=refusal.message), 403
    except (Forbidden, Unauthorised) as refusal:
        return _refused(refusal.message, 403)
    target = session.pop("sso_next", None)
    start_session(user, method="sso")
    session["sso_id_token"] = token.get("id_token")
    return redirect(safe_next(target))


@bp.route("/signed-out")
def signed_out():
    """After signing out of Boundary: the provider's own sign-out is offered, not forced."""
    end_session = None
    if sso.configured(current_app.config):
        try:
            metadata = client(current_app).load_server_metadata()
        except (requests.RequestException, ValueError):
            metadata = {}
        if metadata.get("end_session_endpoint"):
            end_session = client(current_app).create_logout_url(
                post_logout_redirect_uri=url_for("auth.login", _external=True),
                id_token_hint=session.get("sso_id_token_hint"))["url"]
    return render_template("sso/signed_out.html", end_session=end_session)
