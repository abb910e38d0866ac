"""JSON Schema forms as GOV.UK fields, and posted fields back as typed data.

``describe(schema)`` lists the fields a template draws; ``parse(schema, form)``
turns ``request.form`` into the JSON the schema validates: dates from the
day/month/year inputs, booleans from yes/no radios, arrays from checkboxes,
and repeating items (``restrictions-0-type``) with add and remove buttons that
work without JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Field:
    name: str
    kind: str  # radios, checkboxes, boolean, date, textarea, text, items
    label: str
    hint: str = ""
    required: bool = False
    options: list = field(default_factory=list)  # (value, label)
    item_fields: list = field(default_factory=list)
    reveals: dict = field(default_factory=dict)  # option value ("yes" for booleans) -> fields shown under it
    revealed: bool = False  # drawn under another field's option, not on its own


def _options(values: list, names: list | None) -> list[tuple[str, str]]:
    names = names if names and len(names) == len(values) else [str(v).replace("_", " ").capitalize() for v in values]
    return list(zip(values, names))


def describe(schema: dict) -> list[Field]:
    required = set(schema.get("required", []))
    found = []
    for name, spec in (schema.get("properties") or {}).items():
        label, hint = spec.get("title") or name.replace("_", " ").capitalize(), spec.get("description", "")
        kind, options, items = "text", [], []
        if spec.get("type") == "array" and (spec.get("items") or {}).get("type") == "object":
            kind, items = "items", describe(spec["items"])
        elif spec.get("type") == "array":
            kind, options = "checkboxes", _options((spec.get("items") or {}).get("enum", []), spec.get("x-enumNames"))
        elif "enum" in spec:
            kind, options = "radios", _options(spec["enum"], spec.get("x-enumNames"))
        elif spec.get("type") == "boolean":
            kind = "boolean"
        elif spec.get("format") == "date":
            kind = "date"
        elif spec.get("x-widget") == "textarea" or (spec.get("maxLength") or 0) > 200:
            kind = "textarea"
        found.append(Field(name, kind, label, hint, name in required, options, items))
    _attach_reveals(schema, found)
    return found


def _attach_reveals(schema: dict, fields: list[Field]) -> None:
    """Fields a schema requires only when another field has a value (``if``/``then``) are
    drawn under that value, GOV.UK's conditional reveal, so they show when relevant."""
    by_name = {f.name: f for f in fields}
    for rule in schema.get("allOf", []):
        condition = (rule.get("if") or {}).get("properties") or {}
        needed = (rule.get("then") or {}).get("required") or []
        if len(condition) != 1 or not needed:
            continue
        trigger, test = next(iter(condition.items()))
        if trigger not in by_name or "const" not in test:
            continue
        value = {True: "yes", False: "no"}.get(test["const"], test["const"])
        for name in needed:
            if name in by_name and name != trigger and not by_name[name].revealed:
                by_name[trigger].reveals.setdefault(value, []).append(by_name[name])
                by_name[name].revealed = True


def parse(schema: dict, form) -> dict:
    """Typed data from posted fields; blanks are left out so 'required' can say what is missing."""
    data = {}
    for spec in describe(schema):
        value = _value(spec, form, spec.name)
        if value not in (None, "", []):
            data[spec.name] = value
    return data


def _value(spec: Field, form, key: str):
    if spec.kind == "checkboxes":
        return form.getlist(key)
    if spec.kind == "boolean":
        return {"yes": True, "no": False}.get(form.get(key, ""))
    if spec.kind == "date":
        day, month, year = (form.get(f"{key}-{part}", "").strip() for part in ("day", "month", "year"))
        if not (day or month or year):
            return None
        try:
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        except ValueError:
            return f"{year}-{month}-{day}"  # kept as typed so the schema says it is not a date
    if spec.kind == "items":
        rows = []
        removed = form.get("action", "")
        for index in range(item_count(form, key)):
            if removed == f"remove:{key}:{index}":
                continue
            row = {f.name: _value(f, form, f"{key}-{index}-{f.name}") for f in spec.item_fields}
            row = {k: v for k, v in row.items() if v not in (None, "", [])}
            if row:
                rows.append(row)
        return rows
    return form.get(key, "").strip()


def item_count(form, key: str) -> int:
    count = int(form.get(f"{key}-count", "1") or 1)
    action = form.get("action", "")
    if action == f"add:{key}":
        count += 1
    return max(count, 1)


def values_for_template(schema: dict, data: dict) -> dict:
    """Posted or stored data in the shape the macros read back (dates split, items listed)."""
    values = dict(data)
    for spec in describe(schema):
        if spec.kind == "date" and isinstance(data.get(spec.name), str) and data[spec.name].count("-") == 2:
            year, month, day = data[spec.name].split("-")
            values[f"{spec.name}-day"], values[f"{spec.name}-month"], values[f"{spec.name}-year"] = \
                day.lstrip("0"), month.lstrip("0"), year
    return values


def form_action(form) -> str | None:
    """An add/remove button press (redisplay the form) rather than a submit."""
    action = form.get("action", "")
    return action if action.startswith(("add:", "remove:")) else None


def row_values(row: dict, key: str, index: int) -> dict:
    """One repeating item's values under the names its inputs use."""
    values = {f"{key}-{index}-{name}": value for name, value in row.items()}
    return values


def register(app) -> None:
    app.add_template_global(row_values)
