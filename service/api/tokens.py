from flask import current_app
from flask_smorest import Blueprint

from ..domain.transaction import transaction
from ..domain.users import authenticate, issue_token
from ..extensions import db
from .schemas import CredentialsSchema, TokenSchema

blp = Blueprint("tokens", __name__, description="API tokens")


@blp.route("/tokens", methods=["POST"])
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Wrong username or password")
def create_token(credentials):
    """Exchange a username and password for a bearer token."""
    with transaction(db.session):
        user = authenticate(db.session, credentials["username"], credentials["password"])
        token = issue_token(db.session, user, current_app.config["TOKEN_LIFETIME_HOURS"])
    return {"token": token}
