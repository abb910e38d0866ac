"""marshmallow schemas: what the API accepts and returns, and the OpenAPI document's source."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate


class ErrorSchema(Schema):
    """Every error answer (api-contract.md): a machine code, a message, and for 422 the fields."""

    error = fields.String(required=True, metadata={"description": "machine-readable code, e.g. not_found"})
    message = fields.String(required=True, metadata={"description": "what a person can act on"})
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), data_key="fields",
                          metadata={"description": "422 only: the messages for each field"})


class HealthSchema(Schema):
    status = fields.String(required=True)


class CredentialsSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token = fields.String(required=True)


class TaskSchema(Schema):
    id = fields.String(required=True)
    case_id = fields.Integer(required=True)
    element_id = fields.String(required=True)
    title = fields.String(required=True)
    role = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean()
    claimed_by = fields.String(allow_none=True)


class TaskDetailSchema(TaskSchema):
    status = fields.String()
    documentation = fields.String()
    form = fields.Dict(required=True, metadata={"description": "JSON Schema of the task's form"})
    prefill = fields.Dict(metadata={"description": "What the form starts with, from the case (``x-prefill`` fields)"})
    shown = fields.List(fields.Dict(),
                        metadata={"description": "Case data to read before deciding: field, title, text"})


class TaskListSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema), required=True)
    page = fields.Integer()
    per_page = fields.Integer()


class TaskQuerySchema(Schema):
    """Without ``per_page`` the inbox answers every ready task; with it, one page (an inbox page uses an index)."""

    page = fields.Integer(validate=validate.Range(min=1, max=10_000_000))
    per_page = fields.Integer(validate=validate.Range(min=1, max=500))


class WaitingSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "timer or message"})
    name = fields.String(required=True)
    due_at = fields.DateTime(allow_none=True)


class CaseSchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(metadata={"description": "the case reference staff and letters use, e.g. B-000042"})
    status = fields.String(required=True, metadata={"description": "active, closed or terminated"})
    stage = fields.String(required=True)
    outcome = fields.String(allow_none=True)
    service_user_name = fields.String(required=True)
    service_user_reference = fields.String(allow_none=True)
    matter_reference = fields.String(required=True)
    process_version = fields.String(required=True)
    ready_tasks = fields.List(fields.Nested(TaskSchema), required=True)
    waiting = fields.List(fields.Nested(WaitingSchema), required=True)
    created_by = fields.String()
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class CaseListSchema(Schema):
    items = fields.List(fields.Nested(CaseSchema), required=True)
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class CaseQuerySchema(Schema):
    stage = fields.String()
    status = fields.String(validate=validate.OneOf(["active", "closed", "terminated"]))
    role = fields.String()
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000_000))  # offset fits in 64 bits
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


class IncidentSchema(Schema):
    """The ``record_incident`` start form's fields; checked in full against its JSON Schema."""

    class Meta:
        unknown = INCLUDE

    service_user_name = fields.Raw()
    matter_reference = fields.Raw()
    incident_date = fields.Raw(metadata={"description": "YYYY-MM-DD, not in the future"})
    channel = fields.Raw()
    behaviour_types = fields.Raw()
    description = fields.Raw()


class CompleteSchema(Schema):
    data = fields.Dict(required=True, metadata={"description": "the form's fields"})
    override = fields.Boolean(load_default=False, metadata={
        "description": "complete a task someone else claimed (recorded on the case); without it that is a 422"})


class MessageSchema(Schema):
    name = fields.String(required=True)
    data = fields.Dict(load_default=dict)


class AuditEventSchema(Schema):
    id = fields.Integer()
    actor = fields.String()
    action = fields.String()
    task_id = fields.String(allow_none=True)
    element_id = fields.String(allow_none=True)
    data = fields.Dict()
    created_at = fields.DateTime()


class AuditListSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema), required=True)


class LetterSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    title = fields.String()
    html = fields.String()
    task_id = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()
    status = fields.String(metadata={"description": "draft until staff issue it, then issued"})
    sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 of the PDF as issued"})
    issued_by = fields.String(allow_none=True)
    issued_at = fields.DateTime(allow_none=True)
    channels = fields.Function(lambda letter: letter.channels.split(",") if letter.channels else [],
                               metadata={"description": "post and/or email, once issued"})


class LetterListSchema(Schema):
    items = fields.List(fields.Nested(LetterSchema), required=True)


class VersionSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    deployed_by = fields.String()
    deployed_at = fields.DateTime()
    note = fields.String()
    active_cases = fields.Integer()
    files = fields.List(fields.String())


class DefinitionSchema(Schema):
    process_id = fields.String()
    name = fields.String()
    current_version = fields.Integer()
    versions = fields.List(fields.Nested(VersionSchema))


class DefinitionListSchema(Schema):
    items = fields.List(fields.Nested(DefinitionSchema), required=True)
