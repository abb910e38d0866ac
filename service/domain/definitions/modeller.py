"""What process owners do in the modeller: check a diagram, deploy it, read versions, edit forms.

Checking reuses ``definitions.validate_files`` on exactly the files a deploy
would store, so "no problems" in the modeller means the deploy will succeed.
Forms are files in ``FORMS_DIR`` (not versioned with the diagrams): a saved
form applies to every task that names it from then on, so it is checked in
full first and written atomically (temporary file, then rename), and each save
is in the audit record.
"""
from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...engine import BpmnProblem
from ...errors import Forbidden, InvalidInput, NotFound
from ...models import ProcessVersion, User
from ..core import audit
from ..core.audit import AuditAction
from ..people.permissions import Ability, can
from . import form_reads, versions as definitions
from .diagram_layout import ensure_diagram
from .version_diff import VersionDiff, diff_files
from .versions import DeployRefused

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.context import Context, Session

OWNER = Ability.OWN_PROCESSES
FORM_NAME = re.compile(r"^(messages/|letters/)?[a-z0-9][a-z0-9_-]*\.schema\.json$")


def require_owner(user: User) -> None:
    """The one rule for process definitions, on the web and the API alike: process owners
    read, download, change and deploy them (diagrams name roles, rules and letters that
    other staff need not see; supervisors see a case's own diagram on its monitor page)."""
    if not can(user, OWNER):
        raise Forbidden("Only a process owner can see, change or deploy process definitions and forms.")


def definitions_for(session: Session, user: User) -> list[definitions.DefinitionSummary]:
    """Every definition with its versions, for a process owner."""
    require_owner(user)
    return definitions.list_definitions(session)


def file_for(session: Session, user: User, process_id: str, number: int | None, name: str | None) -> tuple[str, str]:
    """(file name, BPMN text) of one deployed version's file, for a process owner."""
    require_owner(user)
    return version_file(find_version(session, process_id, number), name)


# -- diagrams ----------------------------------------------------------------
def check_diagram(ctx: Context, files: dict[str, bytes]) -> list[BpmnProblem]:
    """Every problem a deploy of ``files`` would be refused for; empty when it would succeed."""
    merged, main = definitions.merge_with_current(ctx.session, files)
    try:
        definitions.validate_files(ctx, merged, main)
    except DeployRefused as refused:
        return refused.problems
    return []


@dataclass
class DeployPreview:
    """What the modeller shows before a deploy is confirmed: the problems, else the changes."""

    problems: list[BpmnProblem]
    diff: VersionDiff
    current: ProcessVersion | None


def preview_deploy(ctx: Context, user: User, files: dict[str, bytes]) -> DeployPreview:
    """The problems a deploy of ``files`` would be refused for, and what it changes against the current version."""
    require_owner(user)
    merged, main = definitions.merge_with_current(ctx.session, files)
    current = definitions.current_version(ctx.session, main) if main else None
    return DeployPreview(check_diagram(ctx, files), diff_files(_encoded(current), merged), current)


NOTE_REQUIRED = ("Say why you are deploying this version: the note is shown with it on the versions page and in "
                 "the audit record.")


def deploy_diagram(ctx: Context, user: User, files: dict[str, bytes], note: str = "") -> ProcessVersion:
    """Validate and deploy as a new version (``DeployRefused`` lists the problems).

    The note is required everywhere (modeller, upload page, API): a version
    nobody explained is one nobody can later judge. A missing note is a 422
    naming ``note``.
    """
    require_owner(user)
    if not note.strip():
        raise InvalidInput(NOTE_REQUIRED, {"note": ["Enter why you are deploying this version"]})
    version = definitions.deploy(ctx, files, user.username, note.strip())
    previous = version_before(ctx.session, version)
    changes = diff_files(_encoded(previous), {k: v.encode() for k, v in version.files.items()})
    audit.record(ctx.session, user.username, AuditAction.PROCESS_DEPLOYED, data={
        "process_id": version.process_id, "version": version.number, "note": version.note,
        "files": sorted(version.files), "changes": changes.summary})
    return version


def version_before(session: Session, version: ProcessVersion) -> ProcessVersion | None:
    return session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == version.process_id,
                                                       ProcessVersion.number < version.number)
                          .order_by(ProcessVersion.number.desc()).limit(1))


def version_changes(summary: definitions.DefinitionSummary) -> dict[int, VersionDiff]:
    """Each version's changes against the version before it (by version id), for the versions page."""
    versions = [version for version, _ in summary.versions]  # newest first
    return {version.id: diff_files(_encoded(older), _encoded(version) or {})
            for version, older in zip(versions, [*versions[1:], None], strict=True)}


def _encoded(version: ProcessVersion | None) -> dict[str, bytes] | None:
    return {k: v.encode() for k, v in version.files.items()} if version is not None else None


def get_version(session: Session, version_id: int) -> ProcessVersion:
    version = session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound(f"There is no process version {version_id}.")
    return version


def find_version(session: Session, process_id: str, number: int | None = None) -> ProcessVersion:
    """A version by its number, or the current one."""
    if number is None:
        return definitions.current_version(session, process_id)
    version: ProcessVersion | None = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                          ProcessVersion.number == number))
    if version is None:
        raise NotFound(f"Process {process_id} has no version {number}.")
    return version


def version_file(version: ProcessVersion, name: str | None = None) -> tuple[str, str]:
    """(file name, BPMN text) of a version: ``name``, or the file holding its main process."""
    name = name or main_file(version)
    if name not in version.files:
        raise NotFound(f"{version.label} has no file {name}.")
    return name, version.files[name]


def diagram_for_editing(version: ProcessVersion, name: str | None = None) -> tuple[str, bytes]:
    """A version's file as the editor needs it: with a drawing (laid out if it had none)."""
    name, text = version_file(version, name)
    return name, ensure_diagram(text.encode("utf-8"))


def where_processes_are_edited(session: Session, version: ProcessVersion) -> dict[str, tuple[str, str | None]]:
    """For each process a diagram in ``version`` may call: the definition and file to open it
    in the editor. A process deployed as a definition of its own opens its current version;
    one that only lives in a file of this version opens that file."""
    found: dict[str, tuple[str, str | None]] = {pid: (version.process_id, name)
                                                 for pid, name in version.files_defining().items()}
    for summary in definitions.list_definitions(session):
        found[summary.process_id] = (summary.process_id, None)
    return found


def main_file(version: ProcessVersion) -> str:
    return version.file_defining(version.process_id) or sorted(version.files)[0]


# -- forms -------------------------------------------------------------------
@dataclass(frozen=True)
class FormSummary:
    name: str
    title: str
    fields: int
    used_by: list[str]  # "process vN: element" for the current versions


def list_forms(ctx: Context) -> list[FormSummary]:
    users = _form_users(ctx)
    found = []
    for name in ctx.forms.names():
        try:
            schema = ctx.forms.load(name)
        except ValueError:
            schema = {}
        schema = schema if isinstance(schema, dict) else {}
        found.append(FormSummary(name, str(schema.get("title") or ""), len(schema.get("properties") or {}),
                                 users.get(name, [])))
    return found


def load_form_text(ctx: Context, name: str) -> str:
    _check_name(name)
    path = ctx.forms.folder / name
    if not path.is_file():
        raise NotFound(f"There is no form {name}.")
    return path.read_text(encoding="utf-8")


def parse_form(text: str) -> dict[str, Any]:
    """The schema in ``text``; ``InvalidInput`` says where the JSON is broken."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"The form is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        raise InvalidInput(message, {"schema": [message]}) from None
    if not isinstance(schema, dict) or schema.get("type") != "object":
        message = ("A form is a JSON Schema object with \"type\": \"object\" and its fields under "
                   "\"properties\".")
        raise InvalidInput(message, {"schema": [message]})
    return schema


def save_form(ctx: Context, user: User, name: str, text: str, create: bool = False) -> dict[str, Any]:
    """Check ``text`` as a form schema and write it to ``name``; return the schema."""
    require_owner(user)
    _check_name(name)
    schema = parse_form(text)
    folder = ctx.forms.folder
    target = folder / name
    if create and target.exists():
        message = f"A form called {name} already exists: choose another name."
        raise InvalidInput(message, {"name": [message]})
    if not create and not target.is_file():
        raise NotFound(f"There is no form {name}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    temporary.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        problems = ctx.forms.check_schema(temporary.relative_to(folder).as_posix())
        if problems:
            raise InvalidInput("The form was not saved: " + " ".join(problems), {"schema": problems})
        if not create:
            _refuse_removing_fields_read(ctx, name, target, schema)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    audit.record(ctx.session, user.username, "form_created" if create else "form_saved",
                 data={"form": name, "fields": sorted(schema.get("properties") or {})})
    return schema


def _refuse_removing_fields_read(ctx: Context, name: str, target: Path, schema: dict[str, Any]) -> None:
    """A field a current diagram reads cannot go: the engine would fail where it is read."""
    try:
        old = json.loads(target.read_text(encoding="utf-8"))
    except ValueError:
        return  # a broken file on disk has no fields anything can rely on
    reads = form_reads.removed_fields_read(ctx, name, old, schema)
    if reads:
        messages = [read.message for read in reads]
        raise InvalidInput("The form was not saved: " + messages[0], {"schema": messages})


def _check_name(name: str) -> None:
    if not FORM_NAME.match(name or ""):
        message = ("A form name is lower-case letters, digits, _ or -, ending in .schema.json "
                   "(message payload forms start with messages/, the letter issuing form with letters/).")
        raise InvalidInput(message, {"name": [message]})


def _form_users(ctx: Context) -> dict[str, list[str]]:
    """Which element of which current diagram names each form."""
    users: dict[str, list[str]] = {}
    for summary in definitions.list_definitions(ctx.session):
        version = summary.current
        try:
            bundle = ctx.bundles.get(version)
        except Exception:
            continue
        for info in bundle.elements.values():
            form = info.properties.get("formJsonSchemaFilename")
            if form:
                users.setdefault(form, []).append(f"{version.label}: {info.title or info.element_id}")
        for message in bundle.message_names:
            users.setdefault(definitions.message_form(message), []).append(f"{version.label}: message {message}")
    return users
