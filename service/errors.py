"""The domain's exceptions. The API and web layers map them to HTTP answers."""
from __future__ import annotations


class BoundaryError(Exception):
    """Base: ``code`` is the machine-readable error, the message is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


class CaseCouldNotMoveOn(InvalidInput):
    """The engine failed on an action whose input was valid: a diagram fault, not the user's.

    Nothing is saved; ``transaction`` records an incident for supervisors once
    the failed unit of work has rolled back. ``explained`` is a sentence in
    Boundary's own words staff may read (e.g. diagram code over its budget);
    other failures are described to supervisors only.
    """

    code = "case_could_not_move_on"

    def __init__(self, case_id: int, element_id: str, title: str, action: str, actor: str, error: str,
                 explained: str | None = None):
        why = f" {explained.rstrip('.')}." if explained else ""
        super().__init__(f"This case could not move on after \u201c{title}\u201d.{why} A supervisor has been told. "
                         "Nothing you entered was saved; try again once they say it is fixed.")
        self.case_id, self.element_id, self.title = case_id, element_id, title
        self.action, self.actor, self.error = action, actor, error
