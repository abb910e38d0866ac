"""The domain's exceptions. The API and web layers map them to HTTP answers."""
from __future__ import annotations


class BoundaryError(Exception):
    """Base: ``code`` is the machine-readable error, the message is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(BoundaryError):
    """The request could not be read at all (e.g. JSON nested too deeply); nothing was changed."""

    code, status = "bad_request", 400


class NotFound(BoundaryError):
    code, status = "not_found", 404


class Forbidden(BoundaryError):
    code, status = "forbidden", 403


class Conflict(BoundaryError):
    """The case changed or cannot take this action now; nothing was changed."""

    code, status = "conflict", 409


class InvalidInput(BoundaryError):
    """Input failed validation. ``fields`` maps each field to its messages."""

    code, status = "invalid_input", 422

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class Unauthorised(BoundaryError):
    code, status = "unauthorised", 401
