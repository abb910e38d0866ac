"""BPMN that Boundary did not write: each MIWG reference model uploaded through the API
deploys, or is refused with a 422 that names an element of the file, never a 500."""
from __future__ import annotations

import io
import re

import pytest

from helpers import miwg_files, no_miwg_corpus

FILES = miwg_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name if p else "corpus-missing")
def test_each_reference_model_deploys_or_is_refused_naming_its_element(as_user, path):
    if path is None:
        no_miwg_corpus()
    content = path.read_bytes()
    owner = as_user("process_owner")
    response = owner.post("/api/v1/process-definitions", data={"file": (io.BytesIO(content), path.name), "note": "MIWG reference model"},
                          content_type="multipart/form-data")
    assert response.status_code in (201, 422), response.get_data(as_text=True)[:500]
    if response.status_code == 201:
        return
    body = response.get_json()
    ids = set(re.findall(rb'\bid="([^"]+)"', content))
    named = [key for key in body["fields"] if key.encode() in ids]
    assert named, f"no refusal names an element of {path.name}: {body['fields']}"
    for key in named:
        message = " ".join(body["fields"][key])
        assert key in message and "<Element" not in message and " at 0x" not in message
    listed = owner.get("/api/v1/process-definitions").get_json()["items"]
    assert [d["current_version"] for d in listed] == [1]  # nothing changed
