"""JSON Schema forms as GOV.UK fields, and posted fields back as typed data.

Every input has a flat name: ``reason``; a date's parts ``incident_date-day``
(``-month``, ``-year``); a repeating item's fields ``restrictions-0-type`` with
``restrictions-count`` saying how many items the page drew. The templates
(``web/macros/fields.html``) read values by those names only, so the same
macros draw a blank form, a posted one being corrected, and stored answers.

- ``describe(schema)``: the fields a template draws;
- ``parse(schema, form)``: ``request.form`` to the JSON the schema validates
  (dates from day/month/year, booleans from yes/no, arrays from checkboxes,
  numbers, repeating items); blanks are left out so "required" can name them;
- ``values_from_data`` / ``redisplay``: the flat values a template reads;
- ``error_fields`` / ``error_links``: validation errors keyed by input name,
  and the error summary's links in the order of the form;
- ``answers(schema, data)``: stored answers as (question, plain text) pairs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .filters import uk_date

CHOICE_KINDS = ("radios", "boolean")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T[\d:.+\-Z]+)?")
_PERIOD = re.compile(r"P(\d+)([DWMY])")  # an ISO 8601 period such as a monitoring period, P3M
_UNITS = {"D": "day", "W": "week", "M": "month", "Y": "year"}
_KEY = re.compile(r"[a-z]+(_[a-z]+)+")  # a choice's stored value, e.g. verbal_abuse
NOT_FIELDS = ("_form", "data")  # errors about the whole form or the process, not one field


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, radios, checkboxes, boolean, items
    label: str
    hint: str = ""
    required: bool = False
    options: list = field(default_factory=list)  # (value, label)
    item_fields: list = field(default_factory=list)
    reveals: dict = field(default_factory=dict)  # option value ("yes"/"no" for booleans) -> fields under it
    revealed: bool = False  # drawn under another field's option, not on its own
    default: object = None
    integer: bool = False
    needed_when: bool = False  # required only on some answers: not labelled "(optional)" either


def _options(values: list, names: list | None) -> list[tuple[str, str]]:
    names = names if names and len(names) == len(values) else [str(v).replace("_", " ").capitalize() for v in values]
    return list(zip(values, names, strict=True))


def _kind(spec: dict) -> str:
    items = spec.get("items") or {}
    if spec.get("type") == "array":
        return "items" if items.get("type") == "object" else "checkboxes"
    if "enum" in spec:
        return "radios"
    if spec.get("type") == "boolean":
        return "boolean"
    if spec.get("type") in ("integer", "number"):
        return "number"
    if spec.get("format") == "date":
        return "date"
    if spec.get("format") == "email":
        return "text"  # one line however long an address may be
    if spec.get("x-widget") == "textarea" or (spec.get("maxLength") or 0) > 200:
        return "textarea"
    return "text"


def describe(schema: dict) -> list[Field]:
    required = set(schema.get("required", []))
    found = []
    for name, spec in (schema.get("properties") or {}).items():
        spec = spec or {}
        kind = _kind(spec)
        enum, names = spec.get("enum"), spec.get("x-enumNames")
        if kind == "checkboxes":
            enum, names = (spec.get("items") or {}).get("enum", []), names or (spec.get("items") or {}).get("x-enumNames")
        found.append(Field(
            name, kind, spec.get("title") or name.replace("_", " ").capitalize(), spec.get("description", ""),
            name in required, _options(enum, names) if enum else [],
            describe(spec["items"]) if kind == "items" else [], default=spec.get("default"),
            integer=spec.get("type") == "integer"))
    _attach_reveals(schema, found)
    conditional = {name for rule in schema.get("allOf", []) for name in (rule.get("then") or {}).get("required") or []}
    for spec in found:
        spec.needed_when = spec.name in conditional or bool(((schema.get("properties") or {}).get(spec.name) or {})
                                                              .get("x-neededWhen"))
    return found


def _attach_reveals(schema: dict, fields: list[Field]) -> None:
    """A field the schema requires only when a radio answer has one value (``if``/``then``)
    is drawn under that answer: GOV.UK's conditional reveal. Anything more complex stays in place."""
    by_name = {f.name: f for f in fields}
    for rule in schema.get("allOf", []):
        condition = (rule.get("if") or {}).get("properties") or {}
        needed = (rule.get("then") or {}).get("required") or []
        if len(condition) != 1 or not needed:
            continue
        trigger, test = next(iter(condition.items()))
        if trigger not in by_name or by_name[trigger].kind not in CHOICE_KINDS or "const" not in (test or {}):
            continue
        value = {True: "yes", False: "no"}.get(test["const"], test["const"])
        for name in needed:
            if name in by_name and name != trigger and not by_name[name].revealed and not by_name[name].reveals:
                by_name[trigger].reveals.setdefault(value, []).append(by_name[name])
                by_name[name].revealed = True


# --- posted form -> typed data ---------------------------------------------------------------

def parse(schema: dict, form, keep_blank_rows: bool = False) -> dict:
    """Typed data from posted fields; blanks are left out so 'required' can say what is missing.

    ``keep_blank_rows`` keeps empty repeating items (and adds the one an "add another"
    button asked for) so a redisplayed form keeps every item the person sees."""
    return _parse_fields(describe(schema), form, "", keep_blank_rows)


def _parse_fields(fields: list[Field], form, prefix: str, keep_blank_rows: bool) -> dict:
    data = {}
    for spec in fields:
        value = _value(spec, form, prefix + spec.name, keep_blank_rows)
        if value not in (None, "", []):
            data[spec.name] = value
    return data


def _value(spec: Field, form, key: str, keep_blank_rows: bool = False):
    if spec.kind == "checkboxes":
        return [v for v in form.getlist(key) if v]
    if spec.kind == "boolean":
        return {"yes": True, "no": False}.get(form.get(key, ""))
    if spec.kind == "date":
        day, month, year = (form.get(f"{key}-{part}", "").strip() for part in ("day", "month", "year"))
        if not (day or month or year):
            return None
        try:
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        except ValueError:
            return f"{year}-{month}-{day}"  # kept as typed so the schema says it is not a real date
    if spec.kind == "number":
        text = form.get(key, "").strip().replace(",", "")
        try:
            return int(text) if spec.integer else float(text) if "." in text else int(text)
        except ValueError:
            return text  # kept as typed so the schema says it is not a number
    if spec.kind == "items":
        return _rows(spec, form, key, keep_blank_rows)
    return form.get(key, "").strip()


def _rows(spec: Field, form, key: str, keep_blank_rows: bool) -> list[dict]:
    action = form.get("action", "")
    rows = []
    for index in range(item_count(form, key)):
        if action == f"remove:{key}:{index}":
            continue
        row = _parse_fields(spec.item_fields, form, f"{key}-{index}-", keep_blank_rows)
        if row or keep_blank_rows:
            rows.append(row)
    if keep_blank_rows and action == f"add:{key}":
        rows.append({})
    return rows


def item_count(form, key: str) -> int:
    try:
        return min(max(int(form.get(f"{key}-count", "1")), 1), 100)
    except ValueError:
        return 1


def form_action(form) -> str | None:
    """An add/remove or "update the preview" button press (redisplay the form) rather than a submit."""
    action = form.get("action", "")
    return action if action.startswith(("add:", "remove:")) or action == "preview" else None


# --- typed data -> the flat values the macros read -------------------------------------------

def values_from_data(schema: dict, data: dict) -> dict:
    values: dict = {}
    _flatten(describe(schema), data or {}, "", values)
    return values


def initial_values(schema: dict) -> dict:
    """A blank form: the schema's defaults chosen."""
    return values_from_data(schema, {f.name: f.default for f in describe(schema) if f.default is not None})


def redisplay(schema: dict, form) -> dict:
    """The form as posted, after an add or remove button."""
    return values_from_data(schema, parse(schema, form, keep_blank_rows=True))


def _flatten(fields: list[Field], data: dict, prefix: str, values: dict) -> None:
    for spec in fields:
        key, value = prefix + spec.name, data.get(spec.name)
        if spec.kind == "items":
            rows = value if isinstance(value, list) and value else [{}]
            values[f"{key}-count"] = len(rows)
            for index, row in enumerate(rows):
                _flatten(spec.item_fields, row if isinstance(row, dict) else {}, f"{key}-{index}-", values)
        elif value is None:
            continue
        elif spec.kind == "boolean":
            values[key] = {True: "yes", False: "no"}.get(value, "")
        elif spec.kind == "checkboxes":
            values[key] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        elif spec.kind == "date":
            parts = str(value).split("-")
            if len(parts) == 3:
                year, month, day = parts
                values[f"{key}-day"], values[f"{key}-month"], values[f"{key}-year"] = \
                    day.lstrip("0") or day, month.lstrip("0") or month, year
        else:
            values[key] = str(value)


# --- errors ----------------------------------------------------------------------------------

def error_fields(errors: dict) -> dict:
    """Errors keyed by input name: the domain's ``restrictions.0.type`` becomes ``restrictions-0-type``."""
    found: dict[str, list[str]] = {}
    for key, messages in (errors or {}).items():
        found.setdefault(str(key).replace(".", "-"), []).extend(messages)
    return found


def error_links(fields: list[Field], errors: dict) -> list[tuple[str | None, str]]:
    """The error summary: (link target, message) in the order of the form; errors that belong
    to no field (the whole form, the process) come first, without a link."""
    order = {spec.name: position for position, spec in enumerate(fields)}
    found = []
    for key, messages in error_fields(errors).items():
        spec = _field_at(fields, key)
        position = order.get(key.split("-")[0], -1) if spec else -1
        target = _first_input(spec, key) if spec else None if key in NOT_FIELDS else f"#{key}"
        found += [(position, index, target, message)
                  for index, message in enumerate(messages)]
    return [(target, message) for _, _, target, message in sorted(found, key=lambda item: item[:2])]


def _field_at(fields: list[Field], key: str) -> Field | None:
    for spec in fields:
        if key == spec.name:
            return spec
        if spec.kind == "items" and key.startswith(spec.name + "-"):
            index, _, rest = key[len(spec.name) + 1:].partition("-")
            if index.isdigit() and rest:
                return _field_at(spec.item_fields, rest)
    return None


def _first_input(spec: Field, key: str) -> str:
    """The id of a field's first input, where an error link should take you."""
    if spec.kind == "date":
        return f"#{key}-day"
    if spec.kind == "items" and spec.item_fields:
        return _first_input(spec.item_fields[0], f"{key}-0-{spec.item_fields[0].name}")
    return f"#{key}"


# --- stored answers as text ------------------------------------------------------------------

def answers(schema: dict, data: dict) -> list[tuple[str, str]]:
    """(question, answer) for each answered field, in the form's order, in plain words."""
    data, fields = data or {}, describe(schema)
    found = [(spec.label, answer_text(spec, data[spec.name])) for spec in fields
             if data.get(spec.name) not in (None, "", [])]
    known = {f.name for f in fields}
    return found + [(k.replace("_", " ").capitalize(), plain_value(v)) for k, v in data.items()
                    if k not in known and v not in (None, "", [])]


def plain_value(value) -> str:
    """A value no form words (set by diagram code, or a field a form no longer has) in plain
    words: yes/no, lists and keyed values spelt out, ISO dates as UK dates; never a repr."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(plain_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ').capitalize()}: {plain_value(v)}" for k, v in value.items()
                         if v not in (None, "", []))
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return uk_date(value)
        period = _PERIOD.fullmatch(value)
        if period:
            count, unit = int(period.group(1)), _UNITS[period.group(2)]
            return f"{count} {unit}{'' if count == 1 else 's'}"
        return value.replace("_", " ") if _KEY.fullmatch(value) else value
    return str(value)


def answer_text(spec: Field, value) -> str:
    names = dict(spec.options)
    if spec.kind == "boolean":
        return "Yes" if value is True else "No" if value is False else str(value)
    if spec.kind == "date":
        return uk_date(value)
    if spec.kind in ("radios", "checkboxes"):
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(names.get(v, v)) for v in items)
    if spec.kind == "items" and isinstance(value, list):
        return "; ".join(", ".join(answer_text(sub, row[sub.name]) for sub in spec.item_fields
                                   if isinstance(row, dict) and row.get(sub.name) not in (None, "", []))
                         for row in value)
    return str(value)
