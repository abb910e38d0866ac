"""API tokens: a password buys one (behind the sign-in limit shared with the web); its holder can end it."""
from flask import current_app, request
from flask_smorest import Blueprint

from ..domain.core.transaction import transaction
from ..domain.people.sign_in import sign_in
from ..domain.people.users import issue_token, revoke_token
from ..extensions import db
from .auth import BEARER, bearer_token, require_token
from .schemas import CredentialsSchema, TokenSchema

blp = Blueprint("tokens", __name__, description="API tokens")


@blp.route("/tokens", methods=["POST"])
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many attempts for this account or address: wait for Retry-After seconds")
def create_token(credentials):
    """Exchange a username and password for a bearer token."""
    user = sign_in(db.session, current_app.config, credentials["username"], credentials["password"],
                   request.remote_addr)
    with transaction(db.session):
        token = issue_token(db.session, user, current_app.config["TOKEN_LIFETIME_HOURS"])
    return {"token": token}


@blp.route("/tokens/current", methods=["DELETE"])
@blp.response(204)
@blp.doc(security=BEARER)
def delete_current_token():
    """End the token this request is sent with; it stops working at once."""
    require_token()
    with transaction(db.session):
        revoke_token(db.session, bearer_token())
