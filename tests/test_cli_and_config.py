"""Set-up commands and settings an operator relies on."""
from __future__ import annotations

import pytest

from service import create_app
from service.config import check_settings, load_settings, settings_warnings


def test_cli_creates_users_grants_roles_and_issues_tokens(app, client):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["create-user", "jo", "--password", "correct horse battery", "--role", "case_officer"])
    assert created.exit_code == 0, created.output
    assert runner.invoke(args=["grant-role", "jo", "line_manager"]).exit_code == 0
    token = runner.invoke(args=["issue-token", "jo"]).output.strip()
    tasks = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert tasks.status_code == 200
    bad_role = runner.invoke(args=["grant-role", "jo", "emperor"])
    assert bad_role.exit_code != 0 and "Unknown roles: emperor" in bad_role.output
    duplicate = runner.invoke(args=["create-user", "jo", "--password", "xxxx"])
    assert duplicate.exit_code != 0 and "taken" in duplicate.output


def test_deploy_command_refuses_a_broken_file_with_the_element(app, tmp_path):
    broken = tmp_path / "broken.bpmn"
    from helpers import FIXTURES
    broken.write_text((FIXTURES / "workflows" / "simple.bpmn").read_text().replace('"P10D"', '"P10D"').replace(
        "wait_period</bpmn:timeDuration>", '"P3X"</bpmn:timeDuration>'))
    result = app.test_cli_runner().invoke(args=["deploy", str(broken)])
    assert result.exit_code != 0 and "timed_out" in result.output


def test_production_refuses_unsafe_settings():
    settings = load_settings({"BOUNDARY_ENV": "production", "BOUNDARY_DEMO_USERS": "1",
                              "DATABASE_URL": "sqlite:///:memory:"})
    problems = check_settings(settings)
    assert any("SECRET_KEY" in p for p in problems)
    assert any("demo users" in p for p in problems)
    assert any("in-memory" in p for p in problems)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": None})


def test_production_defaults_have_no_demo_users():
    settings = load_settings({"BOUNDARY_ENV": "production", "SECRET_KEY": "k" * 40,
                              "DATABASE_URL": "postgresql+psycopg://x@localhost/b"})
    assert settings["DEMO_USERS"] is False and check_settings(settings) == []
    assert load_settings({})["DEMO_USERS"] is True


def test_production_without_a_mail_server_starts_but_says_email_stays_in_the_outbox(tmp_path, caplog):
    production = {"BOUNDARY_ENV": "production", "SECRET_KEY": "k" * 40,
                  "DATABASE_URL": "postgresql+psycopg://x@localhost/b"}
    assert any("BOUNDARY_SMTP_HOST is not set" in w for w in settings_warnings(load_settings(production)))
    assert settings_warnings(load_settings({**production, "BOUNDARY_SMTP_HOST": "mail.example"})) == []
    assert settings_warnings(load_settings({})) == []  # development keeps mail in the outbox on purpose
    with caplog.at_level("WARNING"):
        create_app({"ENV": "production", "SECRET_KEY": "k" * 40, "DEMO_USERS": False, "LOG_FORMAT": "text",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.sqlite'}"})
    assert "no email is sent" in caplog.text
