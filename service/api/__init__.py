"""The JSON API under /api/v1 (see shared/api-contract.md), with its OpenAPI document."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from ..errors import InvalidInput
from .errors import BoundaryApi

# Database ids are PostgreSQL INTEGERs: a larger number in a URL is simply not found.
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every URL: 0 to 2^31-1, so /cases/99999999999 is 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits, min, max, signed)


def init_api(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter  # before any blueprint adds its rules
    app.before_request(refuse_nul_characters)
    api = BoundaryApi(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    from . import cases, definitions, health, tasks, tokens
    for module in (health, tokens, cases, tasks, definitions):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    app.extensions["boundary.api"] = api


def refuse_nul_characters() -> None:
    """No text may hold U+0000: PostgreSQL cannot store it and file names cannot contain it."""
    if not request.path.startswith("/api/"):
        return
    where = None
    if "\x00" in request.path:
        where = "path"
    elif any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        where = "query"
    elif request.is_json and _holds_nul(request.get_json(silent=True)):
        where = "_body"
    if where:
        raise InvalidInput("Text may not contain the NUL character (\\u0000).",
                           {where: ["Remove the NUL character (\\u0000)."]})


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False
