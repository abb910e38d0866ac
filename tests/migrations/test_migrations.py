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
    assert "Workflows up to date." in again.output
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        assert "alembic_version" in tables and "cases" in tables
        db.engine.dispose()
