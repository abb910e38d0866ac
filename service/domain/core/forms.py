"""Forms are JSON Schema files in ``forms/``, named by the diagram's
``formJsonSchemaFilename`` property, and checked on the server on every submission.

Errors come back per field in plain English, using each field's ``title``.
Beyond standard JSON Schema (``if``/``then`` carries most cross-field rules) a
schema may use:
- ``"notInFuture": true`` on a ``date`` field;
- ``"x-rules": ["<name>", ...]`` naming checks in ``form_rules`` that need the
  case's data (e.g. a police report is required when the incident involved
  violence), since a form cannot see the case.
- ``"x-messages": {"<keyword>": "<text>"}`` on a field to word an error exactly.

A form may refer only to itself (``"$ref": "#/$defs/..."``): ``jsonschema``
would otherwise fetch ``http://`` or ``file://`` references on every
submission (a request forgery and a file read). Such forms are refused when
saved or deployed, and validation uses a ``referencing`` registry that never
retrieves anything.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import SchemaError, ValidationError
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable

from ...engine import clock
from ...errors import InvalidInput, NotFound
from . import form_rules
from .emails import is_email


def _not_in_future(validator: Any, wanted: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not wanted or not isinstance(instance, str):
        return
    try:
        day = date.fromisoformat(instance)
    except ValueError:
        return  # the format check reports it
    if day > clock.now().date():
        yield ValidationError("must be today or in the past")


FormValidator = validators.extend(  # type: ignore[no-untyped-call]  # jsonschema leaves extend untyped
    Draft202012Validator, {"notInFuture": _not_in_future})
_FORMATS = FormatChecker(["date"])
# jsonschema's own email check only looks for an "@"; an address field must hold exactly one
# valid address (no line breaks, no lists), or it could add recipients or headers to an email.
_FORMATS.checks("email")(is_email)
_REFERENCE_KEYS = ("$ref", "$dynamicRef")


def _never_retrieve(uri: str) -> NoReturn:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs-built class mypy cannot see


_LOCAL_ONLY: Registry[Any] = Registry(retrieve=_never_retrieve)  # type: ignore[call-arg]  # attrs-built, as above


def outside_references(schema: dict[str, Any]) -> list[str]:
    """Every ``$ref`` in ``schema`` that points outside the form itself (anything not starting with ``#``)."""
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.extend(str(node[key]) for key in _REFERENCE_KEYS
                         if key in node and not (isinstance(node[key], str) and node[key].startswith("#")))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


class FormStore:
    """Reads form schemas from a folder once and validates submissions against them."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def names(self) -> list[str]:
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*.json"))

    def exists(self, name: str) -> bool:
        try:
            return self._path(name).is_file()
        except NotFound:
            return False

    def load(self, name: str) -> dict[str, Any]:
        path = self._path(name)
        if not path.is_file():
            raise NotFound(f"The form {name} does not exist in {self.folder}.")
        return _read(str(path), path.stat().st_mtime_ns)

    def check_schema(self, name: str) -> list[str]:
        """Problems with a form file itself (for deploy-time validation)."""
        try:
            schema = self.load(name)
        except NotFound as error:
            return [error.message]
        except ValueError as error:
            return [f"The form {name} is not valid JSON: {error}"]
        try:
            FormValidator.check_schema(schema)
        except SchemaError as error:
            return [f"The form {name} is not a valid JSON Schema: {error.message}"]
        problems = [f"The form {name} refers to {ref!r}, outside itself: a form may only refer to its own "
                    "parts (\"$ref\": \"#/$defs/...\"). Copy the definition into the form."
                    for ref in outside_references(schema)]
        unknown = [r for r in schema.get("x-rules", []) if r not in form_rules.RULES]
        return problems + [f"The form {name} names an unknown rule {r}." for r in unknown]

    def validate(self, name: str, data: Any, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return ``data`` if it passes; else raise ``InvalidInput`` with every field's errors."""
        return validate(self.load(name), data, context)

    def _path(self, name: str) -> Path:
        if "\x00" in name:  # the file system refuses it with a ValueError, not a missing file
            raise NotFound(f"There is no form {name!r}.")
        path = (self.folder / name).resolve()
        if self.folder.resolve() not in path.parents:
            raise NotFound(f"The form {name} is outside the forms folder.")
        return path


@lru_cache(maxsize=256)
def _read(path: str, mtime_ns: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
        return schema


def validate(schema: dict[str, Any], data: Any, context: dict[str, Any] | None = None) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput("Send the form's fields as a JSON object.", {"data": ["Must be an object"]})
    fields: dict[str, list[str]] = {}
    try:
        for error in FormValidator(schema, format_checker=_FORMATS, registry=_LOCAL_ONLY).iter_errors(data):
            for field, message in _describe(schema, error):
                if message not in fields.setdefault(field, []):
                    fields[field].append(message)
    except Unresolvable as error:  # a form file placed by hand with an outside $ref: never fetched
        raise InvalidInput("This form cannot be checked: it refers to a definition outside itself. "
                           "Ask a process owner to fix the form.", {"form": [f"Cannot resolve {error}"]}) from None
    if not fields:
        for rule in schema.get("x-rules", []):
            for field, message in form_rules.RULES[rule](data, context or {}).items():
                fields.setdefault(field, []).append(message)
    if fields:
        names = ", ".join(_title(schema, f) for f in fields)
        raise InvalidInput(f"Check these fields: {names}.", fields)
    return data


def ask_for_missing(schema: dict[str, Any], name: str | None) -> None:
    """Diagram code needed ``name`` and the form left it out: ask for it as a required field would.

    A form may make a field optional that a gateway later reads; that is the
    user's to answer, not an engine failure. Names that are not fields of the
    form are left to the caller (an incident).
    """
    if name and name in (schema.get("properties") or {}):
        message = _missing_message(schema, [], name)
        raise InvalidInput(f"{message}: the next step depends on it.", {name: [message]})


def _title(schema: dict[str, Any], field: str) -> str:
    return str((schema.get("properties", {}).get(field, {}) or {}).get("title", field.replace("_", " ")))


def _describe(schema: dict[str, Any], error: Any) -> list[tuple[str, str]]:  # jsonschema types its fields "| Unset"
    """Turn one jsonschema error into (field, plain message) pairs."""
    path = [str(p) for p in error.absolute_path]
    field = path[0] if path else None
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        prefix = ".".join(path)
        return [((f"{prefix}.{name}" if prefix else name), _missing_message(schema, path, name)) for name in missing]
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extras = [k for k in (error.instance or {}) if k not in allowed]
        return [(k, f"{k} is not a field of this form; remove it.") for k in extras]
    if field is None:
        return [("_form", error.message)]
    key = ".".join(path)
    field_schema = schema.get("properties", {}).get(field, {}) or {}
    custom = ((error.schema.get("x-messages") if isinstance(error.schema, dict) else None) or {}).get(error.validator) \
        or (field_schema.get("x-messages") or {}).get(error.validator)
    title = field_schema.get("title", field.replace("_", " "))
    if custom:
        return [(key, custom)]
    if path[1:] and isinstance(error.schema, dict) and error.schema.get("title"):
        title = error.schema["title"]  # an item's own field, such as a restriction's type
    return [(key, _sentence(title, error))]


def _sentence(title: str, error: Any) -> str:  # a jsonschema ValidationError (see _describe)
    """GOV.UK Design System wording: "Select ...", "Enter ...", "<Field> must be ..."."""
    plain = _plain(error)
    if "{field}" in plain:
        return plain.replace("{field}", _lower(title))
    if plain.startswith(("must ", "has ")):
        return f"{title.rstrip('?')} {plain}"
    return f"{title}: {plain}"


def _missing_message(schema: dict[str, Any], path: list[str], name: str) -> str:
    props = schema.get("properties", {})
    if path:
        items = (props.get(path[0], {}) or {}).get("items", {})
        props = items.get("properties", {})
    field_schema = props.get(name, {}) or {}
    custom = (field_schema.get("x-messages") or {}).get("required")
    if custom:
        return str(custom)
    title = field_schema.get("title", name.replace("_", " "))
    verb = "Select" if "enum" in field_schema or field_schema.get("type") in ("boolean", "array") else "Enter"
    if title.endswith("?"):
        return f"{verb} an answer to: {title}"
    return f"{verb} {_lower(title)}"


def _lower(title: str) -> str:
    """A title inside a sentence: "Date of the incident" -> "date of the incident" (not "DPO")."""
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def _plain(error: Any) -> str:  # a jsonschema ValidationError (see _describe)
    v = error.validator
    if v == "enum":
        return "Select one of the choices for: {field}"
    if v == "const":
        return f"must be {json.dumps(error.validator_value)}"
    if v == "type":
        return {"string": "must be text", "boolean": "must be yes or no (true or false)",
                "array": "must be a list", "integer": "must be a whole number", "object": "must be a group of fields",
                "number": "must be a number"}.get(str(error.validator_value), f"must be {error.validator_value}")
    if v == "format":
        return {"date": "must be a real date",
                "email": "Enter {field} in the correct format, like name@example.org"}.get(
            error.validator_value, f"must be a valid {error.validator_value}")
    if v == "minItems":
        return "Select at least one: {field}" if error.validator_value == 1 \
            else f"Select at least {error.validator_value}: {{field}}"
    if v == "minLength":
        return "Enter {field}"
    if v == "maxLength":
        return f"must be {error.validator_value} characters or less"
    if v == "uniqueItems":
        return "has the same choice twice"
    return str(error.message)
