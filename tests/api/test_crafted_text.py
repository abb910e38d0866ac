"""Text no page can show and JSON no parser should follow are refused at the edge (issue #19, item 6).

A lone UTF-16 surrogate (``"\\udfff"``) used to be stored, after which the case
page, its monitoring page and the DPO's export answered 500 for everyone (in a
column field the create itself was a 500); deeply nested JSON was a
``RecursionError`` 500, even unauthenticated.
"""
from __future__ import annotations

import json

import pytest

from service.extensions import db
from service.models import Case

INCIDENT = {"service_user_name": "Alex Smith", "matter_reference": "M-100", "incident_date": "2026-03-01",
            "wait_period": "P1D"}


def _raw(client, url, text):
    """POST ``text`` as it is: json.dumps would never write a lone surrogate's escape by itself."""
    return client.post(url, data=text, content_type="application/json")


@pytest.mark.parametrize("field", ["service_user_name", "matter_reference"])
def test_a_lone_surrogate_in_a_column_field_is_refused_naming_it(officer, field):
    body = json.dumps(INCIDENT).replace('"Alex Smith"' if field == "service_user_name" else '"M-100"', '"A\\udfffB"')
    answer = _raw(officer, "/api/v1/cases", body)
    assert answer.status_code == 422 and list(answer.get_json()["fields"]) == [field]
    assert db.session.query(Case).count() == 0


def test_a_lone_surrogate_in_task_data_is_refused_and_the_case_stays_readable(officer, new_case):
    case = new_case()
    task_id = case["ready_tasks"][0]["id"]
    answer = _raw(officer, f"/api/v1/tasks/{task_id}/complete", '{"data": {"notes": "x\\ud800"}}')
    assert answer.status_code == 422 and answer.get_json()["fields"] == {
        "data.notes": ["Not valid text: remove the unpaired surrogate character"]}
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["ready_tasks"][0]["id"] == task_id


def test_a_surrogate_pair_that_makes_a_real_character_is_fine(officer):
    body = json.dumps({**INCIDENT, "service_user_name": "Zoë \U0001F600"})  # json.dumps writes the pair
    assert "\\ud83d\\ude00" in body
    answer = _raw(officer, "/api/v1/cases", body)
    assert answer.status_code == 201 and answer.get_json()["service_user_name"] == "Zoë \U0001F600"


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_a_400_even_without_a_token(client, depth):
    answer = _raw(client, "/api/v1/tokens", "[" * depth + "]" * depth)
    assert answer.status_code == 400 and "nested more than 32 levels" in answer.get_json()["message"]


def test_nul_in_a_message_name_is_refused(officer, new_case):
    case = new_case()
    answer = officer.post(f"/api/v1/cases/{case['id']}/messages", json={"name": "nud\x00ge", "data": {}})
    assert answer.status_code == 422 and "name" in answer.get_json()["fields"]
