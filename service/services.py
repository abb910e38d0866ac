"""Per-application objects the domain needs (form store, parsed-spec cache),
and ``context()`` to hand them to a domain call with the current session."""
from __future__ import annotations

from flask import Flask, current_app

from .domain.context import BundleCache, Context
from .domain.forms import FormStore
from .extensions import db


def init_services(app: Flask) -> None:
    app.extensions["boundary.bundles"] = BundleCache()
    app.extensions["boundary.forms"] = FormStore(app.config["FORMS_DIR"])
    _sqlite_pragmas(app)


def warm_bundles(app: Flask) -> int:
    """Parse every deployed version's BPMN once at start-up, so no request ever parses.

    Before the first ``setup`` there are no tables yet: then nothing is warmed.
    """
    from sqlalchemy import inspect, select
    from sqlalchemy.orm import undefer

    from .models import ProcessVersion

    with app.app_context():
        if not inspect(db.engine).has_table(ProcessVersion.__tablename__):
            return 0
        versions = db.session.scalars(select(ProcessVersion).options(undefer(ProcessVersion.files))).all()
        for version in versions:
            app.extensions["boundary.bundles"].get(version)
        db.session.remove()
        return len(versions)


def context(app: Flask | None = None) -> Context:
    app = app or current_app
    return Context(session=db.session, forms=app.extensions["boundary.forms"],
                   bundles=app.extensions["boundary.bundles"], settings=app.config)


def _sqlite_pragmas(app: Flask) -> None:
    """WAL lets readers work while a case is saved; foreign keys are enforced."""
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in str(engine.url) and engine.url.database:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
