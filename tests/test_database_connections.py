"""A dropped database connection (a restart, a failover, a firewall) never reaches a request."""
from __future__ import annotations

import pytest

from helpers import ApiClient, make_app
from service import services
from service.extensions import db


@pytest.fixture
def pg_app(tmp_path):
    from pg_server import server
    app = make_app(tmp_path, database=server().new_database())
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _drop_the_pools_connections() -> int:
    """What a database restart does to the pool: every connection it holds is closed by the server."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool
    outsider = create_engine(db.engine.url, poolclass=NullPool)
    with outsider.connect() as connection:
        dropped = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").scalar()
    outsider.dispose()
    return dropped


@pytest.mark.postgres
def test_a_connection_dropped_while_idle_is_replaced_before_the_next_request(pg_app, monkeypatch):
    officer = ApiClient(pg_app.test_client(), "case_officer")
    assert officer.get("/api/v1/tasks").status_code == 200
    db.session.remove()
    monkeypatch.setattr(services, "PING_AFTER_IDLE_SECONDS", 0.0)
    # The pool now holds connections the server has closed; the next request must not see that.
    pool = db.engine.pool
    held = pool.checkedin()
    assert held >= 1
    assert _drop_the_pools_connections() >= 1
    response = officer.get("/api/v1/tasks")
    assert response.status_code == 200, response.get_json()
    assert officer.get("/api/v1/health").status_code == 200


@pytest.mark.postgres
def test_a_connection_handed_back_moments_ago_is_used_without_a_ping(pg_app):
    from sqlalchemy import event
    officer = ApiClient(pg_app.test_client(), "case_officer")
    officer.get("/api/v1/tasks")
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert officer.get("/api/v1/tasks").status_code == 200
    assert not [s for s in statements if s.strip().lower() == "select 1"], statements
