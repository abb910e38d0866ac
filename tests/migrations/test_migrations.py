"""The schema is created only through the Alembic migrations, and they match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from helpers import FIXTURES, default_database
from service import create_app
from service.extensions import db


def _fresh_app(tmp_path):
    if default_database() == "postgres":
        from pg_server import server
        url = server().new_database()
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    return create_app({"TESTING": True, "ENV": "testing", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": url,
                       "DEMO_USERS": False})


def test_upgrading_an_empty_database_to_head_matches_the_models(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        assert "cases" in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], "models changed without a migration: run `flask --app service db migrate`"
        db.engine.dispose()


def test_setup_builds_the_database_through_migrations_and_deploys_once(tmp_path):
    app = _fresh_app(tmp_path)
    app.config.update(WORKFLOWS_DIR=FIXTURES / "workflows", FORMS_DIR=FIXTURES / "forms")
    app.extensions["boundary.forms"].folder = FIXTURES / "forms"
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "Deployed fixture_process v1." in result.output and "Demo users" not in result.output
    again = app.test_cli_runner().invoke(args=["setup"])
    assert "Workflows up to date (fixture_process v1)." in again.output
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        assert "alembic_version" in tables and "cases" in tables
        db.engine.dispose()


def test_moving_the_engine_state_last_keeps_every_case_and_what_hangs_off_it(tmp_path):
    """Revision a1d1b5605844 rebuilds the cases table on SQLite; nothing may cascade away."""
    app = _fresh_app(tmp_path)
    with app.app_context():
        from flask_migrate import upgrade
        upgrade(revision="3a5a0e2cfdca")
        now = "2026-03-01 10:00:00+00:00"
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO process_versions (id, process_id, name, number, files, deployed_by, deployed_at, note) "
                f"VALUES (1, 'p', 'P', 1, '{{}}', 'system', '{now}', '')")
            connection.exec_driver_sql(
                "INSERT INTO cases (id, process_version_id, status, stage, service_user_name, matter_reference, state, "
                "state_format, created_by, created_at, updated_at, version) VALUES "
                f"(7, 1, 'active', 'monitoring', 'Sam Jones', 'M-7', 'STATE-7', 'spiff', 'officer', '{now}', '{now}', 3)")
            connection.exec_driver_sql(
                "INSERT INTO tasks (id, case_id, element_id, title, role, status, created_at) "
                f"VALUES ('t-7', 7, 'issue_warning', 'Warn', 'case_officer', 'ready', '{now}')")
            connection.exec_driver_sql(
                "INSERT INTO audit_events (case_id, actor, action, data, created_at) "
                f"VALUES (7, 'officer', 'case_started', '{{}}', '{now}')")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT service_user_name, state, version FROM cases").all() == [
                ("Sam Jones", "STATE-7", 3)]
            assert connection.exec_driver_sql("SELECT case_id FROM tasks").all() == [(7,)]
            assert connection.exec_driver_sql("SELECT case_id FROM audit_events").all() == [(7,)]
        columns = [c["name"] for c in inspect(db.engine).get_columns("cases")]
        if db.engine.dialect.name == "sqlite":
            assert columns[-2:] == ["state_format", "state"]
        assert "ix_cases_updated" in {i["name"] for i in inspect(db.engine).get_indexes("cases")}
        db.engine.dispose()
