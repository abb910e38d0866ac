"""The JSON API under /api/v1 (see shared/api-contract.md), with its OpenAPI document."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from ..input_guard import MAX_ID  # database ids are PostgreSQL INTEGERs: a larger one in a URL is not found
from .errors import BoundaryApi


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every URL: 0 to 2^31-1, so /cases/99999999999 is 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def init_api(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter  # before any blueprint adds its rules
    api = BoundaryApi(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    from . import cases, definitions, health, tasks, tokens
    for module in (health, tokens, cases, tasks, definitions):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    app.extensions["boundary.api"] = api
