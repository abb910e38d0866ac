"""What an operator relies on in production: settings refused with a clear message,
JSON logs tied to a request id, user and case, metrics, and the gunicorn settings."""
from __future__ import annotations

import json
import logging
import runpy

import pytest

from helpers import FIXTURES
from service.config import check_settings, load_settings
from service.logging import JsonFormatter, RequestContextFilter

PRODUCTION = {"BOUNDARY_ENV": "production", "SECRET_KEY": "k" * 40,
              "DATABASE_URL": "postgresql+psycopg://boundary@db/boundary"}


def problems_with(**environ):
    return check_settings(load_settings({**PRODUCTION, **environ}))


def test_a_sound_production_environment_has_no_problems():
    assert problems_with() == []


def test_production_without_database_url_says_so():
    environ = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    problems = check_settings(load_settings(environ))
    assert len(problems) == 1 and problems[0].startswith("DATABASE_URL is not set")
    assert "postgresql+psycopg://" in problems[0]


@pytest.mark.parametrize("url, words", [
    ("not a url", "is not a database URL"),
    ("mysql://u@h/b", "PostgreSQL or SQLite"),
    ("postgresql+psycopg2://u@h/b", "driver 'psycopg2'"),
])
def test_a_wrong_database_url_is_named(url, words):
    problems = problems_with(DATABASE_URL=url)
    assert len(problems) == 1 and words in problems[0]


def test_bare_postgres_urls_use_the_installed_driver():
    for url in ("postgres://u:p@h:5432/b", "postgresql://u:p@h:5432/b"):
        assert load_settings({**PRODUCTION, "DATABASE_URL": url})["SQLALCHEMY_DATABASE_URI"] == \
            "postgresql+psycopg://u:p@h:5432/b"


def test_unreadable_values_are_named_instead_of_crashing():
    problems = problems_with(BOUNDARY_TOKEN_LIFETIME_HOURS="twelve", BOUNDARY_MONITORING_PERIOD="3 months",
                             BOUNDARY_LOG_FORMAT="xml", BOUNDARY_LOG_LEVEL="LOUD")
    text = "\n".join(problems)
    assert "BOUNDARY_TOKEN_LIFETIME_HOURS='twelve' is not valid" in text
    assert "BOUNDARY_MONITORING_PERIOD='3 months' is not an ISO 8601 duration" in text
    assert "BOUNDARY_LOG_FORMAT must be 'json' or 'text'" in text
    assert "BOUNDARY_LOG_LEVEL must be one of" in text


def test_missing_folders_are_named(tmp_path):
    problems = problems_with(BOUNDARY_FORMS_DIR=str(tmp_path / "nowhere"))
    assert problems == [f"BOUNDARY_FORMS_DIR is {tmp_path / 'nowhere'}, which is not a folder."]


def test_logs_are_json_in_production_and_text_in_development():
    assert load_settings(PRODUCTION)["LOG_FORMAT"] == "json"
    assert load_settings({})["LOG_FORMAT"] == "text"


def test_the_create_app_refusal_lists_every_problem(monkeypatch):
    from service import create_app
    for key in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BOUNDARY_ENV", "production")
    with pytest.raises(RuntimeError) as refused:
        create_app()
    assert "SECRET_KEY is missing" in str(refused.value) and "DATABASE_URL is not set" in str(refused.value)


# -- logs -----------------------------------------------------------------------
@pytest.fixture
def log_lines(app):
    """JSON lines the app writes during the test, parsed."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(json.loads(JsonFormatter().format(record)))

    handler = Keep()
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield records
    root.removeHandler(handler)
    root.setLevel(level)


def test_each_request_logs_one_json_line_with_request_id_user_and_case(app, as_user, log_lines):
    officer = as_user("case_officer")
    response = officer.post("/api/v1/cases", headers={"X-Request-ID": "gateway-42"}, json={
        "service_user_name": "Alex", "matter_reference": "M-1", "incident_date": "2026-03-01", "wait_period": "P1D"})
    assert response.status_code == 201 and response.headers["X-Request-ID"] == "gateway-42"
    case_id = response.get_json()["id"]
    line = [r for r in log_lines if r["logger"] == "boundary.request" and r.get("request_id") == "gateway-42"]
    assert len(line) == 1
    assert line[0]["user"] == "case_officer" and line[0]["case_id"] == case_id
    assert line[0]["status"] == 201 and line[0]["method"] == "POST" and line[0]["duration_ms"] >= 0

    task = response.get_json()["ready_tasks"][0]["id"]
    done = officer.post(f"/api/v1/tasks/{task}/complete", json={"data": {"notes": "read"}})
    assert done.status_code == 200
    completion = [r for r in log_lines if r.get("path") == f"/api/v1/tasks/{task}/complete"][0]
    assert completion["case_id"] == case_id and completion["user"] == "case_officer"
    assert len(completion["request_id"]) == 32, "a fresh id when the caller sends none"
    assert done.headers["X-Request-ID"] == completion["request_id"]


def test_the_request_line_names_the_user_without_reading_them_again_after_the_commit(app, as_user, log_lines):
    from sqlalchemy import event

    from service.extensions import db
    officer = as_user("case_officer")
    case = officer.post("/api/v1/cases", json={"service_user_name": "Alex", "matter_reference": "M-1",
                                               "incident_date": "2026-03-01", "wait_period": "P1D"}).get_json()
    task = case["ready_tasks"][0]["id"]
    statements = []
    with app.app_context():
        engine = db.engine

    def seen(_conn, _cursor, statement, *_):
        statements.append(" ".join(statement.split()))
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert officer.post(f"/api/v1/tasks/{task}/complete", json={"data": {"notes": "read"}}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    line = [r for r in log_lines if r.get("path") == f"/api/v1/tasks/{task}/complete"][0]
    assert line["user"] == "case_officer"
    # The commit expires every loaded row: a second look at the user would be a new transaction.
    assert [s for s in statements if "FROM users" in s and "api_tokens" not in s] == []


def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/api/v1/health", headers={"X-Request-ID": "x\" injected {}"})
    assert response.headers["X-Request-ID"] != "x\" injected {}"
    assert len(response.headers["X-Request-ID"]) == 32


def test_spiffworkflow_never_logs_case_data_at_info():
    from service.logging import configure
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        configure("INFO", "json")
        assert not logging.getLogger("spiff.task").isEnabledFor(logging.INFO)
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


def test_an_exception_is_one_json_line_with_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys
        record = logging.LogRecord("boundary", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "error" and "ValueError: boom" in entry["exception"]


# -- metrics and health ---------------------------------------------------------------
def test_metrics_count_committed_completions_and_time_requests(app, as_user):
    officer = as_user("case_officer")
    case = officer.post("/api/v1/cases", json={"service_user_name": "A", "matter_reference": "M",
                                               "incident_date": "2026-03-01", "wait_period": "P1D"}).get_json()

    def completions():
        text = app.test_client().get("/metrics").get_data(as_text=True)
        found = [line for line in text.splitlines()
                 if line.startswith('boundary_task_completions_total{element_id="first_review"}')]
        return (float(found[0].split()[-1]) if found else 0.0), text

    before, _ = completions()
    refused = officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {}})
    assert refused.status_code == 422
    assert completions()[0] == before, "a refused completion is not counted"
    officer.post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete", json={"data": {"notes": "n"}})
    after, text = completions()
    assert after == before + 1
    assert 'boundary_http_request_duration_seconds_bucket{endpoint="tasks.complete_task"' in text
    assert "boundary_timer_lag_seconds" in text and "boundary_ready_tasks 1.0" in text


def test_metrics_can_be_turned_off(tmp_path):
    from helpers import make_app
    from service.extensions import db
    app = make_app(tmp_path, METRICS=False)
    assert app.test_client().get("/metrics").status_code == 404
    with app.app_context():
        db.engine.dispose()


def test_health_checks_the_database(app, client):
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}


# -- gunicorn -------------------------------------------------------------------------
def test_gunicorn_settings_follow_the_environment(monkeypatch, tmp_path):
    import service.gunicorn_conf as conf_module
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    conf = runpy.run_path(conf_module.__file__)
    assert conf["workers"] == 3 and conf["bind"] == "0.0.0.0:9001"
    assert conf["timeout"] == 30 and conf["graceful_timeout"] == 30 and conf["accesslog"] == "-"
    assert conf["logger_class"] == "service.logging.GunicornLogger" and conf["control_socket_disable"]
    monkeypatch.delenv("WEB_CONCURRENCY")
    import multiprocessing
    assert runpy.run_path(conf_module.__file__)["workers"] == min(multiprocessing.cpu_count() * 2 + 1, 8)
    (tmp_path / "counter_1.db").write_bytes(b"old")
    conf["on_starting"](None)
    assert not (tmp_path / "counter_1.db").exists(), "stale metric files are cleared at start"


def test_gunicorn_accepts_the_settings_file():
    from gunicorn.config import Config

    import service.gunicorn_conf as conf_module
    config = Config()
    for key, value in runpy.run_path(conf_module.__file__).items():
        if key in config.settings:
            config.set(key, value)
    assert config.workers >= 1 and config.worker_class_str == "sync"


def test_fixtures_exist_for_the_load_tests():
    assert (FIXTURES / "workflows" / "simple.bpmn").exists()


def test_the_access_log_never_holds_a_query_string(caplog):
    """Issue #19, item 9: filters and searches put people's names in the query string."""
    import logging
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from service.logging import GunicornLogger

    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    logger.access_log.propagate = True
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/monitoring/cases?person=Sam+Jones",
               "PATH_INFO": "/monitoring/cases", "REMOTE_ADDR": "127.0.0.1"}
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(SimpleNamespace(status="200 OK", headers=[], sent=10), None, environ, timedelta(milliseconds=3))
    assert [r.getMessage() for r in caplog.records] == ["GET /monitoring/cases 200"]
