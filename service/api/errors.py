"""Every API error is JSON: {"error", "message"} and, for 422, "fields"."""
from __future__ import annotations

from flask import jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from ..errors import BoundaryError, InvalidInput
from .schemas import ErrorSchema

_CODES = {400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
          429: "too_many_requests", 500: "server_error"}
_MESSAGES = {
    400: "The request could not be read. Send valid JSON with Content-Type: application/json.",
    404: "There is nothing at this address. Check the URL against /api/v1/openapi.json.",
    405: "This address does not accept that method. Check /api/v1/openapi.json.",
    500: "Something went wrong on our side. The change was not saved; try again or tell support.",
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    body: dict[str, object] = {"error": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class BoundaryApi(Api):
    """flask-smorest's Api, answering errors in the contract's shape (and documenting that shape)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(BoundaryError, handle_domain_error)

    def handle_http_exception(self, error: HTTPException):
        if not is_api_request():
            return error
        data = getattr(error, "data", None) or {}
        status = error.code or 500
        fields = None
        messages = data.get("messages") or data.get("errors")
        if messages == {"json": ["Invalid JSON body."]}:
            return error_response(400, "bad_request", _MESSAGES[400])
        if messages:
            fields = _flatten(messages)
            status = 422 if status in (400, 422) else status
        message = data.get("message") or _MESSAGES.get(status) or error.description
        if fields:
            message = "Check these fields: " + ", ".join(fields) + "."
        headers = dict(data.get("headers") or {})
        headers.update((k, v) for k, v in error.get_headers() if k in ("Allow", "Retry-After"))  # RFC 9110
        return error_response(status, _CODES.get(status, "error"), str(message),
                              fields if status == 422 else None, headers)


def handle_domain_error(error: BoundaryError):
    if not is_api_request():
        raise error
    fields = error.fields if isinstance(error, InvalidInput) else None
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    return error_response(error.status, error.code, error.message, fields, headers)


def _flatten(messages) -> dict[str, list[str]]:
    """webargs nests errors by location ({"json": {"field": [...]}}); the contract wants fields."""
    flat: dict[str, list[str]] = {}

    def walk(node, prefix):
        if isinstance(node, dict):
            for key, value in node.items():
                name = prefix if key in ("json", "query", "form", "files", "path", "headers") and not prefix \
                    else (f"{prefix}.{key}" if prefix else str(key))
                walk(value, name)
        elif isinstance(node, list) and all(isinstance(x, str) for x in node):
            flat.setdefault(prefix or "_body", []).extend(node)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{prefix}.{index}")
        else:
            flat.setdefault(prefix or "_body", []).append(str(node))

    walk(messages, "")
    return flat
