"""Through real gunicorn: a chunked upload cannot get past the size limits (issue #19, item 7).

The 2 MB check read only Content-Length, which a chunked upload does not send,
so a 56 MB diagram was deployed. Now the body is cut off at
``BOUNDARY_MAX_REQUEST_BYTES`` while it is read (413) and the file's size is
checked as read (422), and nothing is deployed either way.
"""
from __future__ import annotations

import http.client
import json

import pytest

from helpers import FIXTURES
from load_support import GunicornServer, prepared_database, request

pytestmark = pytest.mark.slow
SIMPLE = (FIXTURES / "workflows" / "simple.bpmn").read_bytes()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sizes")
    url = f"sqlite:///{folder / 'boundary.sqlite'}"
    prepared = prepared_database(folder, url, 0, users=("process_owner",))
    server = GunicornServer(url, folder, workers=1)
    yield server.port, prepared.tokens["process_owner"]
    server.stop()


def _chunked_upload(port: int, token: str, size: int) -> tuple[int, dict | None]:
    """POST a BPMN body of ``size`` bytes as chunked XML: no Content-Length at all."""
    padding = b"<!--" + b"x" * (size - len(SIMPLE) - 7) + b"-->"

    def chunks():
        body = SIMPLE.replace(b"<bpmn:definitions", padding + b"\n<bpmn:definitions", 1)
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", "/api/v1/process-definitions?filename=simple.bpmn&note=chunked", body=chunks(),
                           headers={"Content-Type": "application/xml", "Authorization": f"Bearer {token}"},
                           encode_chunked=True)
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None
    except (BrokenPipeError, ConnectionResetError):
        return 413, None  # the server stopped reading and closed: refused all the same
    finally:
        connection.close()


def _versions(port, token) -> int:
    status, body = request(port, "GET", "/api/v1/process-definitions", token=token)
    assert status == 200
    return sum(len(d["versions"]) for d in body["items"])


@pytest.mark.parametrize("size, status", [(56 * 1024 * 1024, 413), (2 * 1024 * 1024 + 4096, 422)])
def test_a_chunked_upload_over_the_limit_is_refused_and_nothing_is_deployed(served, size, status):
    port, token = served
    before = _versions(port, token)
    answer, body = _chunked_upload(port, token, size)
    assert answer == status, body
    if status == 422:
        assert body["fields"] == {"file": ["Too large"]}
    assert _versions(port, token) == before


def test_a_chunked_upload_under_the_limit_still_deploys(served):
    port, token = served
    before = _versions(port, token)
    answer, body = _chunked_upload(port, token, 200 * 1024)
    assert answer == 201, body
    assert _versions(port, token) == before + 1
