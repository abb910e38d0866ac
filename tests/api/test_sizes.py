"""Sizes: every free-text field has a limit, and no request body is read past the limit (issue #19, item 7).

A 20 MB description used to be stored; chunked uploads are tested through
gunicorn in ``load/test_upload_size_gunicorn.py``.
"""
from __future__ import annotations

import json

import pytest

from helpers import CHECKOUT, ApiClient, shipped_app
from service.extensions import db

INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date": "2026-03-01",
            "channel": "telephone", "behaviour_types": ["verbal_abuse"], "description": "Shouted"}


def _free_text(node, where=""):
    """Every string field a person types freely: no enum, const or format to bound it."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"enum", "const", "format"} & set(node):
            yield where, node
        for key, value in node.items():
            yield from _free_text(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _free_text(value, f"{where}/{index}")


def test_every_free_text_field_of_every_shipped_form_has_a_max_length():
    missing = [f"{path.relative_to(CHECKOUT)}{where}" for path in sorted((CHECKOUT / "forms").rglob("*.schema.json"))
               for where, field in _free_text(json.loads(path.read_text())) if "maxLength" not in field]
    assert missing == []


@pytest.fixture
def officer(tmp_path):
    app = shipped_app(tmp_path)
    with app.app_context():
        yield ApiClient(app.test_client(), "case_officer")
        db.session.remove()
        db.engine.dispose()


def test_an_overlong_description_is_refused_naming_the_field(officer):
    answer = officer.post("/api/v1/cases", json={**INCIDENT, "description": "x" * 10_001})
    assert answer.status_code == 422 and list(answer.get_json()["fields"]) == ["description"]
    assert officer.post("/api/v1/cases", json={**INCIDENT, "description": "x" * 10_000}).status_code == 201


def test_a_body_past_the_request_limit_is_not_read(officer):
    answer = officer.post("/api/v1/cases", json={**INCIDENT, "description": "x" * (4 * 1024 * 1024)})
    assert answer.status_code == 413 and answer.get_json()["error"] == "too_large"
