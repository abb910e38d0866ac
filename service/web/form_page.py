"""One way every form page works: record an incident, a task, a message, a contact.

GET draws the form (the schema's defaults chosen). POST with an "add another"
or "remove" button draws it again with the items changed (no JavaScript
needed). Any other POST parses the fields and hands the typed data to the
page's ``submit``; if that raises ``InvalidInput`` the form comes back with the
error summary, a message at each field and everything typed kept.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from flask import request

from ..errors import InvalidInput
from . import form_fields


@dataclass
class FormState:
    schema: dict
    values: dict
    errors: dict = field(default_factory=dict)  # input name -> messages
    action: str | None = None

    @cached_property
    def fields(self) -> list[form_fields.Field]:
        return form_fields.describe(self.schema)

    @property
    def links(self) -> list[tuple[str | None, str]]:
        return form_fields.error_links(self.fields, self.errors)

    @property
    def repeating(self) -> bool:
        return any(f.kind == "items" for f in self.fields)


def run(schema: dict, submit: Callable[[dict], object], initial: dict | None = None):
    """A ``FormState`` to draw, or whatever ``submit`` returned (a redirect). ``initial``
    pre-fills a blank form (over the schema's defaults)."""
    if request.method != "POST":
        values = form_fields.initial_values(schema)
        values.update(form_fields.values_from_data(schema, initial or {}))
        return FormState(schema, values)
    if form_fields.form_action(request.form):
        return FormState(schema, form_fields.redisplay(schema, request.form))
    data = form_fields.parse(schema, request.form)
    try:
        return submit(data)
    except InvalidInput as error:
        return FormState(schema, form_fields.values_from_data(schema, data),
                         form_fields.error_fields(error.fields or {"_form": [error.message]}))


def drawn(result) -> bool:
    return isinstance(result, FormState)
