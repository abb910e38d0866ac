"""A test-client look-alike that sends each request over HTTP to a server on loopback.

``process_driver.Driver`` and ``helpers.ApiClient`` speak to it exactly as to
Flask's test client, so a journey written once runs against gunicorn too.
Each request is a fresh connection, so gunicorn's workers share them out.
"""
from __future__ import annotations

import http.client
import json


class HttpResponse:
    def __init__(self, status: int, body: bytes):
        self.status_code, self.data = status, body

    def get_json(self):
        return json.loads(self.data) if self.data else None


class HttpClient:
    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout = port, timeout

    def open(self, method: str, url: str, json_body=None, headers: dict | None = None) -> HttpResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = {**(headers or {})}
            body = None
            if json_body is not None:
                body, sent["Content-Type"] = json.dumps(json_body), "application/json"
            connection.request(method, url, body=body, headers=sent)
            response = connection.getresponse()
            return HttpResponse(response.status, response.read())
        finally:
            connection.close()

    def get(self, url: str, headers: dict | None = None) -> HttpResponse:
        return self.open("GET", url, headers=headers)

    def post(self, url: str, json=None, headers: dict | None = None) -> HttpResponse:
        return self.open("POST", url, json_body=json, headers=headers)
