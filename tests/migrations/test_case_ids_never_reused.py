"""A purged case's id, and so its reference (B-000013), is never handed out again (issue #19, item 13).

On SQLite the newest case's id came back after the retention purge deleted it;
letters already sent quote that reference. Tested on both databases
(``BOUNDARY_TEST_DB=postgres``) and through the migration on SQLite.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect

from helpers import ApiClient, default_database
from migrations.test_migrations import _fresh_app
from service.domain.core.transaction import transaction
from service.domain.correspondence.letters import reference
from service.domain.data_protection import retention
from service.engine import clock
from service.extensions import db
from service.models import Case
from service.services import context

START = {"service_user_name": "A", "matter_reference": "M", "incident_date": "2026-03-01", "wait_period": "P1D"}


def _closed_case(officer, manager) -> int:
    case = officer.post("/api/v1/cases", json=START).get_json()
    case = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {"notes": "n"}}).get_json()
    case = manager.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                        json={"data": {"decision": "reject"}}).get_json()
    assert case["status"] == "closed", case
    return case["id"]


def test_after_the_newest_case_is_purged_the_next_case_gets_a_new_id_and_reference(app, as_user):
    officer, manager = as_user("case_officer"), as_user("line_manager")
    _closed_case(officer, manager)
    newest = _closed_case(officer, manager)
    clock.advance(timedelta(days=7 * 366))  # past the six-year retention period
    officer = ApiClient(app.test_client(), "case_officer")  # the first token has expired
    with transaction(db.session):
        assert retention.purge_case(db.session, newest, context().settings) is not None
    assert db.session.get(Case, newest) is None
    later = officer.post("/api/v1/cases", json=START).get_json()["id"]
    assert later > newest and reference(later) != reference(newest)


@pytest.mark.skipif(default_database() == "postgres", reason="SQLite's rowid reuse; PostgreSQL's sequence never goes back")
def test_the_migration_keeps_every_case_and_stops_sqlite_reusing_ids(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        from flask_migrate import upgrade
        upgrade(revision="a1d1b5605844")
        now = "2026-03-01 10:00:00+00:00"
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO process_versions (id, process_id, name, number, files, deployed_by, deployed_at, note) "
                f"VALUES (1, 'p', 'P', 1, '{{}}', 'system', '{now}', '')")
            for case_id in (1, 2, 3):
                connection.exec_driver_sql(
                    "INSERT INTO cases (id, process_version_id, status, stage, service_user_name, matter_reference, "
                    "state, state_format, created_by, created_at, updated_at, version) VALUES "
                    f"({case_id}, 1, 'closed', 'closed', 'Sam', 'M', 'S', 'spiff', 'officer', '{now}', '{now}', 1)")
        upgrade()
        with db.engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT id FROM cases ORDER BY id").scalars().all() == [1, 2, 3]
            connection.exec_driver_sql("DELETE FROM cases WHERE id = 3")
            connection.exec_driver_sql(
                "INSERT INTO cases (process_version_id, status, stage, service_user_name, matter_reference, "
                "state, state_format, created_by, created_at, updated_at, version) VALUES "
                f"(1, 'active', 'recorded', 'New', 'M', 'S', 'spiff', 'officer', '{now}', '{now}', 1)")
            assert connection.exec_driver_sql("SELECT max(id) FROM cases").scalar() == 4
        assert [c["name"] for c in inspect(db.engine).get_columns("cases")][-2:] == ["state_format", "state"]
        assert {i["name"] for i in inspect(db.engine).get_indexes("cases")} >= {"ix_cases_due", "ix_cases_updated"}
        db.engine.dispose()
