"""Per-application objects the domain needs (form store, parsed-spec cache),
and ``context()`` to hand them to a domain call with the current session."""
from __future__ import annotations

import time

from flask import Flask, current_app

from .domain.core.context import BundleCache, Context
from .domain.core.forms import FormStore
from .extensions import db


def init_services(app: Flask) -> None:
    app.extensions["boundary.bundles"] = BundleCache(guard=bool(app.config.get("SPEC_GUARD")),
                                                     strict=bool(app.config.get("TESTING")))
    app.extensions["boundary.forms"] = FormStore(app.config["FORMS_DIR"])
    _sqlite_pragmas(app)
    _ping_idle_connections(app)


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
    """WAL lets readers work while a case is saved; foreign keys are enforced; deleted rows
    are overwritten, not left in free pages (retention purges personal data)."""
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            if ":memory:" not in str(engine.url) and engine.url.database:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()


# A pooled connection unused for longer than this is checked before a request gets it.
PING_AFTER_IDLE_SECONDS = 5.0
_RETURNED_AT = "boundary.returned_at"


def _ping_idle_connections(app: Flask) -> None:
    """Replace a dead pooled server connection before a request sees it, without a ping per request.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one more round trip
    for every request. A connection handed back moments ago (the normal case
    under load) is alive; one that sat idle may have been dropped by a database
    restart, a failover or a firewall, so only those are pinged, and a dead one
    is swapped for a new connection. A connection that dies while in use fails
    that request, and SQLAlchemy then replaces every connection made before it.
    """
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        return  # a file, not a server: nothing to drop
    from sqlalchemy import event, exc

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy):
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the driver's own error for a closed connection
            raise exc.DisconnectionError(str(error)) from error
