"""Bearer-token authentication for the API blueprints."""
from __future__ import annotations

from flask import g, request

from ..domain.users import user_for_token
from ..errors import Unauthorised
from ..extensions import db
from ..logging import remember_user
from ..models import User

BEARER = [{"bearer": []}]


def require_token() -> None:
    """``before_request`` hook: sets ``g.user`` or answers 401."""
    if request.method == "OPTIONS":
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorised("Send 'Authorization: Bearer <token>'. Get a token at POST /api/v1/tokens.")
    g.user = user_for_token(db.session, token.strip())
    remember_user(g.user)


def current_user() -> User:
    return g.user
