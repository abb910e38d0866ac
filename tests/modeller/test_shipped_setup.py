"""Restarting ``make run`` (``setup``) never puts the shipped diagrams ahead of a process owner's (issue #22)."""
from __future__ import annotations

import io
import shutil

import pytest

from helpers import BUILT_APPS, FIXTURES, ApiClient, default_database, released
from service import create_app

SIMPLE = (FIXTURES / "workflows" / "simple.bpmn").read_text()


@pytest.fixture
def shipped_dir(tmp_path):
    folder = tmp_path / "workflows"
    folder.mkdir()
    shutil.copy(FIXTURES / "workflows" / "simple.bpmn", folder / "simple.bpmn")
    return folder


@pytest.fixture
def app(tmp_path, shipped_dir):
    """An empty database that ``setup`` builds, as on a first ``make run``."""
    if default_database() == "postgres":
        from pg_server import server
        url = server().new_database()
    else:
        url = f"sqlite:///{tmp_path / 'boundary.sqlite'}"
    app = create_app({"TESTING": True, "ENV": "testing", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": url,
                      "DEMO_USERS": True, "WORKFLOWS_DIR": shipped_dir, "FORMS_DIR": FIXTURES / "forms",
                      "DEFAULT_PROCESS": "fixture_process"})
    BUILT_APPS.append(app)
    with released(app) as app:
        assert "Deployed fixture_process v1" in setup(app)
        yield app


def setup(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["setup", *args])
    assert result.exit_code == 0, result.output
    return result.output


def current(app) -> tuple[int, str]:
    body = ApiClient(app.test_client(), "process_owner").get("/api/v1/process-definitions").get_json()
    [definition] = body["items"]
    newest = definition["versions"][0]
    return definition["current_version"], newest.get("deployed_by", "")


def owner_deploys(app, text: str) -> None:
    response = ApiClient(app.test_client(), "process_owner").post(
        "/api/v1/process-definitions", content_type="multipart/form-data",
        data={"file": (io.BytesIO(text.encode()), "simple.bpmn"), "note": "owner's change"})
    assert response.status_code == 201, response.get_json()


def test_changed_shipped_files_deploy_when_no_owner_has(app, shipped_dir):
    assert "up to date" in setup(app)
    (shipped_dir / "simple.bpmn").write_text(SIMPLE.replace('name="First review"', 'name="First look"'))

    assert "Deployed fixture_process v2" in setup(app)
    assert current(app)[0] == 2


def test_an_owners_version_stays_current_over_unchanged_shipped_files(app):
    owner_deploys(app, SIMPLE.replace('name="Approve"', 'name="Sign off"'))

    said = setup(app)

    assert "fixture_process v2, deployed by process_owner, stays current." in said
    assert current(app)[0] == 2


def test_changed_shipped_files_wait_for_the_flag_when_an_owner_has_deployed(app, shipped_dir):
    owner_deploys(app, SIMPLE.replace('name="Approve"', 'name="Sign off"'))
    (shipped_dir / "simple.bpmn").write_text(SIMPLE.replace('name="First review"', 'name="First look"'))

    said = setup(app)
    assert "the shipped workflows changed since" in said and "--force-workflows" in said
    assert current(app)[0] == 2

    assert "Deployed fixture_process v3" in setup(app, "--force-workflows")
    assert current(app)[0] == 3
    assert "up to date" in setup(app)
