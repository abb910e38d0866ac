"""Deploying process definitions as versions.

An upload is validated in full before anything is stored: the engine's checks
(XSD, structure, call targets, sandboxed code, literal timers) and Boundary's
own (every human task in a lane named after a role, form files present and
valid, every message one the service has a payload form for) and the checks
that a case on it can run (``deploy_checks``: forms, data flow, gateway
choices, reachability, flows, due periods). A new version never changes
running cases; new cases start on the newest version.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from ...engine import BpmnProblem, BundleInvalid, ProcessBundle, clock, load_bundle
from ...engine.bpmn_xml import BPMN, parse_bpmn
from ...errors import InvalidInput, NotFound
from ...models import Case, CaseStatus, ProcessVersion
from ..correspondence.letters import template_names
from ..people.roles import NON_TASK_ROLES, ROLES, role_for_lane
from . import deploy_checks
from .diagram_problems import pin

if TYPE_CHECKING:
    from ..core.context import Context, Session



class DeployRefused(InvalidInput):
    """The upload has problems; ``problems`` lists each with its element."""

    def __init__(self, problems: list[BpmnProblem]):
        count = len(problems)
        first = problems[0].message if problems else ""
        fields: dict[str, list[str]] = {}
        for problem in problems:  # an element with several problems keeps them all
            fields.setdefault(problem.element_id or problem.file or "_file", []).append(problem.message)
        super().__init__(f"The diagram was not deployed: {count} problem{'s' if count != 1 else ''}. {first}",
                         fields)
        self.problems = problems


def message_form(name: str) -> str:
    return f"messages/{name}.schema.json"


def validate_files(ctx: Context, files: dict[str, bytes], main_process: str | None = None) -> ProcessBundle:
    """Parse and check ``files``; raise ``DeployRefused`` listing every problem."""
    dangling = deploy_checks.structure_problems(files)
    if dangling:  # the engine would fail on these with a misleading message
        raise DeployRefused(dangling)
    try:
        bundle = load_bundle(files, main_process)
    except BundleInvalid as error:
        raise DeployRefused(pin(error.problems, files)) from None
    problems = _boundary_problems(ctx, bundle) + deploy_checks.problems(ctx, files, bundle.main_process)
    if problems:
        raise DeployRefused(pin(problems, files))
    return bundle


def _boundary_problems(ctx: Context, bundle: ProcessBundle) -> list[BpmnProblem]:
    problems = []
    for info in bundle.human_tasks():
        role = role_for_lane(info.lane)
        if role is None or role in NON_TASK_ROLES:
            where = f"is in the lane '{info.lane}'" if info.lane else "is in no lane"
            problems.append(BpmnProblem(
                f"Task {info.element_id} ({info.title}) {where}. Put it in a lane named after a role "
                f"that completes tasks: {', '.join(k for k in ROLES if k not in NON_TASK_ROLES)}.",
                element_id=info.element_id))
    start = bundle.start_event
    for info in [*bundle.human_tasks(), *([start] if start else [])]:
        form = info.properties.get("formJsonSchemaFilename")
        if form:
            problems.extend(BpmnProblem(f"{info.element_id}: {message}", element_id=info.element_id)
                            for message in ctx.forms.check_schema(form))
    letters = template_names()
    for info in bundle.elements.values():
        letter = info.properties.get("letter")
        if letter and letter not in letters:
            problems.append(BpmnProblem(
                f"{info.element_id} ({info.title}) produces the letter '{letter}', which has no template. "
                f"Choose one of: {', '.join(sorted(letters))}.", element_id=info.element_id))
    for name in sorted(bundle.message_names):
        element = next((e.element_id for e in bundle.elements.values() if name in e.element_id), None)
        if not ctx.forms.exists(message_form(name)):
            problems.append(BpmnProblem(
                f"The message '{name}' is not one Boundary can receive: add its payload form "
                f"forms/{message_form(name)} or use a known message.", element_id=element))
        else:
            problems.extend(BpmnProblem(f"message '{name}': {message}", element_id=element)
                            for message in ctx.forms.check_schema(message_form(name)))
    return problems


def deploy(ctx: Context, files: dict[str, bytes], deployed_by: str, note: str = "") -> ProcessVersion:
    """Store ``files`` as a new version. Files of the current version with the
    same name or defining the same processes are replaced and the rest carried
    over, so a process owner can upload just the diagram they changed."""
    session = ctx.session
    merged, main = merge_with_current(session, files)
    bundle = validate_files(ctx, merged, main)
    number = (session.scalar(select(func.max(ProcessVersion.number))
                             .where(ProcessVersion.process_id == bundle.main_process)) or 0) + 1
    version = ProcessVersion(process_id=bundle.main_process, name=bundle.spec.description or bundle.main_process,
                             number=number, files={k: v.decode("utf-8") for k, v in merged.items()},
                             deployed_by=deployed_by, deployed_at=clock.now(), note=note)
    session.add(version)
    session.flush()
    ctx.bundles.put(version.id, bundle)  # already parsed: keep it
    return version


def merge_with_current(session: Session, files: dict[str, bytes]) -> tuple[dict[str, bytes], str | None]:
    """What a deploy of ``files`` would store (the current version's other files
    carried over) and the main process it keeps; the modeller validates this."""
    process_ids = _process_ids(files)
    current = _current_containing(session, process_ids)
    kept = {name: text.encode() for name, text in (current.files.items() if current else [])
            if name not in files and not _process_ids({name: text.encode()}) & process_ids}
    merged = _with_deployed_callees(session, {**kept, **files})
    return merged, (current.process_id if current else None)


def _with_deployed_callees(session: Session, files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` plus, for each call activity naming a process they do not define, the file of a
    deployed definition's current version that does: a diagram may call any deployed process, and a
    version carries every file it runs on. A name found nowhere is left for the loader to refuse."""
    versions = None
    while True:
        missing = _called(files) - _process_ids(files)
        if not missing:
            return files
        versions = versions if versions is not None else [d.current for d in list_definitions(session)]
        found = {}
        for version in versions:
            for process_id in missing:
                name = version.file_defining(process_id)
                if name and name not in files and name not in found:
                    found[name] = version.files[name].encode()
        if not found:
            return files
        files = {**files, **found}


def _called(files: dict[str, bytes]) -> set[str]:
    return _attribute_values(files, "callActivity", "calledElement")


SHIPPED_BY = "system"  # who ``setup`` deploys the shipped workflows as


@dataclass
class ShippedDeploy:
    """What ``setup`` did with the shipped workflows, and the sentence it tells the operator."""

    version: ProcessVersion | None
    message: str


def deploy_shipped(ctx: Context, files: dict[str, bytes], force: bool = False) -> ShippedDeploy:
    """Deploy the shipped workflows unless they are current already or a process owner's version is.

    Restarting ``make run`` or running ``setup`` must never put the shipped
    diagrams ahead of a version a process owner deployed in the modeller: new
    cases would start on the old diagram. ``force`` deploys them anyway.
    """
    current = _current_containing(ctx.session, _process_ids(files))
    if current is not None and _same_files(current, files):
        return ShippedDeploy(None, f"Workflows up to date ({current.label}).")
    if current is not None and current.deployed_by != SHIPPED_BY and not force:
        shipped = ctx.session.scalar(select(ProcessVersion).where(
            ProcessVersion.process_id == current.process_id, ProcessVersion.deployed_by == SHIPPED_BY)
            .order_by(ProcessVersion.number.desc()).limit(1))
        changed = shipped is None or not _same_files(shipped, files)
        return ShippedDeploy(None, (
            f"{current.label}, deployed by {current.deployed_by}, stays current"
            + (": the shipped workflows changed since, but were not deployed over it. "
               "Run setup with --force-workflows to deploy them anyway." if changed else ".")))
    version = deploy(ctx, files, SHIPPED_BY, "shipped workflows")
    return ShippedDeploy(version, f"Deployed {version.label}.")


def _same_files(version: ProcessVersion, files: dict[str, bytes]) -> bool:
    return {k: v.encode() for k, v in version.files.items()} == files


def current_version(session: Session, process_id: str) -> ProcessVersion:
    version: ProcessVersion | None = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                                                   .order_by(ProcessVersion.number.desc()).limit(1))
    if version is None:
        raise NotFound(f"No process '{process_id}' is deployed.")
    return version


@dataclass
class DefinitionSummary:
    process_id: str
    name: str
    versions: list[tuple[ProcessVersion, int]]  # newest first, with active case counts

    @property
    def current(self) -> ProcessVersion:
        return self.versions[0][0]


def all_versions(session: Session) -> list[ProcessVersion]:
    """Every deployed version, by process, newest first."""
    return list(session.scalars(select(ProcessVersion).options(undefer(ProcessVersion.files))
                                .order_by(ProcessVersion.process_id, ProcessVersion.number.desc())))


def list_definitions(session: Session) -> list[DefinitionSummary]:
    counts = dict(session.execute(select(Case.process_version_id, func.count())
                                  .where(Case.status == CaseStatus.ACTIVE).group_by(Case.process_version_id)).all())
    grouped: dict[str, list[ProcessVersion]] = defaultdict(list)
    for version in all_versions(session):
        grouped[version.process_id].append(version)
    return [DefinitionSummary(pid, versions[0].name, [(v, counts.get(v.id, 0)) for v in versions])
            for pid, versions in grouped.items()]


def _process_ids(files: dict[str, bytes]) -> set[str]:
    return _attribute_values(files, "process", "id")


def _attribute_values(files: dict[str, bytes], tag: str, attribute: str) -> set[str]:
    """Every non-empty ``attribute`` of the BPMN ``tag`` elements in ``files`` (files that are
    not XML are skipped: validation reports them)."""
    found: set[str] = set()
    for content in files.values():
        try:
            root = parse_bpmn(content)
        except etree.XMLSyntaxError:
            continue
        found.update(v for element in root.iter(f"{BPMN}{tag}") if (v := element.get(attribute)))
    return found


def _current_containing(session: Session, process_ids: set[str]) -> ProcessVersion | None:
    """The newest version of the definition that already holds one of these processes."""
    if not process_ids:
        return None
    for summary in list_definitions(session):
        current = summary.current
        if process_ids & _process_ids({k: v.encode() for k, v in current.files.items()}):
            return current
    return None
