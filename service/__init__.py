"""Boundary: managing unreasonable and unacceptable contact fairly, consistently and on the record.

``create_app`` loads settings, binds extensions, registers the API and web
blueprints and the CLI, and does nothing else.
"""
from __future__ import annotations

from flask import Flask

from .config import CHECKOUT, check_settings, load_settings, settings_warnings
from .extensions import db, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_settings())
    app.config.update(
        SQLALCHEMY_ENGINE_OPTIONS={},  # idle connections are checked before use: services._ping_idle_connections
        JSON_SORT_KEYS=False,
        API_TITLE="Boundary API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if test_config:
        app.config.update(test_config)
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("ENV") == "production"
    problems = check_settings(app.config)
    if problems:
        raise RuntimeError("Boundary cannot start:\n- " + "\n- ".join(problems))
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}

    from .engine.budget import Limits
    from .engine.sandbox import set_limits
    set_limits(Limits(seconds=app.config["SCRIPT_SECONDS"], steps=app.config["SCRIPT_STEPS"],
                      memory_mb=app.config["SCRIPT_MEMORY_MB"]))
    from .http_security import init_http_security
    init_http_security(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(CHECKOUT / "migrations"))
    from .logging import init_logging
    init_logging(app)
    for warning in settings_warnings(app.config):
        app.logger.warning(warning)
    from .metrics import init_metrics
    init_metrics(app)
    from .services import init_services
    init_services(app)
    from .input_guard import init_input_guard
    init_input_guard(app)  # before the API's and pages' own hooks
    from .api import init_api
    init_api(app)
    from .web import init_web
    init_web(app)
    from .cli import register_cli
    register_cli(app)
    if not app.config.get("TESTING"):
        from .services import warm_bundles
        warm_bundles(app)
    return app
