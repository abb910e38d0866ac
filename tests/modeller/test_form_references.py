"""A form's ``$ref`` never makes the server fetch anything (issue #19, item 3).

``jsonschema`` used to retrieve ``http://`` and ``file://`` references on every
submission. Now a form referring outside itself is refused when saved or
deployed, and one placed on disk by hand fails validation without a fetch.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from helpers import FIXTURES
from service.domain.definitions import modeller

REVIEW = "fixture_review.schema.json"


@pytest.fixture
def listener():
    """A loopback HTTP server that counts the requests it gets (the fetch the attack wanted)."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"type": "string"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/schema.json", hits
    server.shutdown()
    server.server_close()


def _with_ref(ref: str) -> dict:
    schema = json.loads((FIXTURES / "forms" / REVIEW).read_text())
    schema["properties"]["notes"] = {"$ref": ref, "title": "Notes"}
    return schema


@pytest.mark.parametrize("ref", ["remote", "file:///etc/passwd", "other.schema.json#/x"])
def test_saving_a_form_that_refers_outside_itself_is_refused_naming_the_reference(pages, forms_dir, listener, ref):
    url, hits = listener
    ref = url if ref == "remote" else ref
    before = (forms_dir / REVIEW).read_text()
    answer = pages.form(f"/modeller/forms/{REVIEW}/edit", {"schema": json.dumps(_with_ref(ref))})
    assert answer.status_code == 422 and "outside itself" in answer.text and ref in answer.text
    assert (forms_dir / REVIEW).read_text() == before and hits == []


def test_a_reference_inside_the_form_still_works(pages, forms_dir, start_case, complete):
    schema = _with_ref("#/$defs/notes")
    schema["$defs"] = {"notes": {"type": "string", "minLength": 3}}
    assert pages.form(f"/modeller/forms/{REVIEW}/edit", {"schema": json.dumps(schema)}).status_code == 302
    assert complete(start_case(), {"notes": "long enough"})["ready_tasks"][0]["element_id"] == "approve"


def test_a_deploy_naming_such_a_form_is_refused_naming_the_task(ctx, forms_dir, listener):
    url, hits = listener
    (forms_dir / REVIEW).write_text(json.dumps(_with_ref(url)))
    problems = modeller.check_diagram(ctx, {"simple.bpmn": (FIXTURES / "workflows" / "simple.bpmn").read_bytes()})
    assert any(p.element_id == "first_review" and url in p.message for p in problems)
    assert hits == []


def test_a_form_placed_on_disk_with_an_outside_reference_is_never_fetched(forms_dir, start_case, as_user,
                                                                         listener):
    url, hits = listener
    case = start_case()
    (forms_dir / REVIEW).write_text(json.dumps(_with_ref(url)))  # by hand, past the checks
    answer = as_user("case_officer").post(f"/api/v1/tasks/{case['ready_tasks'][0]['id']}/complete",
                                          json={"data": {"notes": "x"}})
    assert answer.status_code == 422 and "refers to a definition outside itself" in answer.get_json()["message"]
    assert hits == []
