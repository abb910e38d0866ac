"""The JSON API under /api/v1 (see shared/api-contract.md), with its OpenAPI document."""
from __future__ import annotations

from flask import Flask

from .errors import BoundaryApi


def init_api(app: Flask) -> None:
    api = BoundaryApi(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    from . import cases, definitions, health, tasks, tokens
    for module in (health, tokens, cases, tasks, definitions):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    app.extensions["boundary.api"] = api
