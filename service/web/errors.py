"""Error pages for people (the API answers JSON itself)."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import BoundaryError

TITLES = {400: "Something was wrong with the request", 403: "You cannot do that",
          404: "Page not found", 405: "Page not found", 409: "The case changed",
          422: "Check what you entered", 429: "Too many attempts", 500: "Sorry, there is a problem with the service"}


def init_error_pages(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)


def render_error(status: int, message: str):
    return render_template("web/error.html", status=status, title=TITLES.get(status, "Error"),
                           message=message), status


def _csrf(error: CSRFError):
    if request.path.startswith("/api/"):
        return error
    return render_error(400, "The form had expired or was not sent from this site. Go back, reload the page and try again.")


def page_error(error):
    """Used by page blueprints for domain errors and HTTP errors."""
    if isinstance(error, BoundaryError):
        return render_error(error.status, error.message)
    if isinstance(error, HTTPException):
        return render_error(error.code or 500, error.description or "")
    raise error
