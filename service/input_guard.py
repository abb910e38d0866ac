"""What every request must pass before a view sees it: text a database and a page can hold.

- No U+0000 anywhere (PostgreSQL cannot store it; file names cannot hold it).
- No text that is not valid Unicode: JSON may spell a lone UTF-16 surrogate
  (``"\\udfff"``), which Python accepts but cannot encode as UTF-8, so a case
  holding one answered 500 on every page that showed it, for everyone.
- JSON nested no deeper than ``MAX_JSON_DEPTH``: the parser and every walk over
  the value recurse, so a deep body was a ``RecursionError`` 500, even
  unauthenticated on ``/api/v1/tokens``.

Each refusal names the field (``data.notes``, ``service_user_name``) and says
what to do; nothing has been read or changed by then. Form posts need no
Unicode check of their own: Werkzeug decodes them with replacement.
"""
from __future__ import annotations

from flask import Flask, request

from .errors import BadRequest, InvalidInput

MAX_JSON_DEPTH = 32
MAX_ID = 2**31 - 1  # database ids are PostgreSQL INTEGERs


def init_input_guard(app: Flask) -> None:
    app.before_request(check_request_text)


def check_request_text() -> None:
    if "\x00" in request.path:
        _refuse_nul("path")
    for key, value in request.args.items(multi=True):
        _check_text(key, key)
        _check_text(value, key)
    if request.method in ("POST", "PUT", "PATCH") and request.content_length != 0:
        for key, value in request.form.items(multi=True):
            _check_text(value, key)
        if request.is_json:
            _check_json()


def _check_json() -> None:
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
        _too_deep()
    stack = [(body, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            _too_deep()
        if isinstance(value, str):
            _check_text(value, where or "_body")
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else str(key)
                _check_text(key, name)
                stack.append((item, name, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}.{index}" if where else str(index), depth + 1)
                         for index, item in enumerate(value))


def _check_text(text: str, field: str) -> None:
    if "\x00" in text:
        _refuse_nul(field)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(f"The field {field} holds characters that are not valid text (a lone UTF-16 "
                               "surrogate such as \\udfff). Send it as valid UTF-8.",
                               {field: ["Not valid text: remove the unpaired surrogate character"]}) from None


def _refuse_nul(field: str) -> None:
    raise InvalidInput("Text may not contain the NUL character (\\u0000).",
                       {field: ["Remove the NUL character (\\u0000)."]})


def _too_deep() -> None:
    raise BadRequest(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep. Send a flatter body.")


def whole_number(value, field: str, low: int = 1, high: int = MAX_ID) -> int:
    """A number from a form or query string, refused naming ``field`` unless it is whole and in range.

    Unbounded, a 20-digit number reached the database, which cannot hold it (a 500).
    """
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{field} must be a whole number from {low:,} to {high:,}.",
                           {field: [f"Enter a whole number from {low:,} to {high:,}"]})
    return int(text)
