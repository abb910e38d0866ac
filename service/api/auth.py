"""Bearer-token authentication for the API blueprints."""
from __future__ import annotations

from flask import g, request

from ..domain.people.users import user_for_token
from ..errors import Unauthorised
from ..extensions import db
from ..logging import remember_user
from ..models import User

BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def require_token() -> None:
    """``before_request`` hook: sets ``g.user`` or answers 401."""
    if request.method == "OPTIONS":
        return
    token = bearer_token()
    if not token:
        raise Unauthorised("Send 'Authorization: Bearer <token>'. Get a token at POST /api/v1/tokens.")
    g.user = user_for_token(db.session, token)
    remember_user(g.user)


def bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def current_user() -> User:
    return g.user
