"""Moving running cases onto a newer version of their process (case migration,
not the database schema migrations in ``migrations/``).

A deploy never changes running cases. A process owner may then move them: the
dry run lists every active case on an older version of the process and whether
it can move (the engine refuses a case whose current step was removed, among
others); a move is one case in one transaction, so a bulk move that stops
half-way leaves every case either moved or untouched. Moves and refusals are
both in the case's audit record.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from ...engine import CaseRun, MigrationRefused, check_migration, migrate_case as engine_migrate
from ...errors import BoundaryError, InvalidInput, NotFound
from ...models import Case, CaseStatus, ProcessVersion, TaskRecord, TaskStatus, User
from ..core import audit
from ..core.audit import AuditAction
from ..core.transaction import transaction
from ..definitions.modeller import get_version, require_owner
from ..people.roles import role_for_lane
from .persistence import save_run

if TYPE_CHECKING:
    from ..core.context import Context, Session


@dataclass(frozen=True)
class CaseMove:
    """One case in a dry run."""

    case_id: int
    matter_reference: str
    service_user_name: str
    from_version: str
    stage: str
    current: list[str]  # titles of the steps it is on
    movable: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MoveResult:
    case_id: int
    moved: bool
    reasons: list[str] = field(default_factory=list)
    from_version: str = ""
    to_version: str = ""


@dataclass
class MigrationSummary:
    target: str
    moved: list[MoveResult] = field(default_factory=list)
    refused: list[MoveResult] = field(default_factory=list)


def candidates(session: Session, target: ProcessVersion) -> list[Case]:
    """Active cases on an older version of the target's process, oldest first."""
    older = select(ProcessVersion.id).where(ProcessVersion.process_id == target.process_id,
                                            ProcessVersion.number < target.number)
    return list(session.scalars(select(Case).where(Case.status == CaseStatus.ACTIVE, Case.process_version_id.in_(older))
                                .order_by(Case.id)))


def dry_run(ctx: Context, target_id: int) -> list[CaseMove]:
    """Which cases could move to the target version, and why not; changes nothing."""
    target = get_version(ctx.session, target_id)
    new = ctx.bundles.get(target)
    moves = []
    for case in candidates(ctx.session, target):
        old = ctx.bundles.get(case.process_version)
        check = check_migration(old, case.state, new)
        titles = [old.elements[e].title if e in old.elements else e for e in check.current]
        moves.append(CaseMove(case.id, case.matter_reference, case.service_user_name, case.process_version.label,
                              case.stage, titles, check.movable, check.reasons))
    return moves


def migrate_case(ctx: Context, user: User, case_id: int, target_id: int) -> MoveResult:
    """Move one case in the caller's transaction; a refusal changes nothing but the audit record."""
    require_owner(user)
    target = get_version(ctx.session, target_id)
    case = ctx.session.scalar(select(Case).where(Case.id == case_id).with_for_update(of=Case))
    if case is None:
        raise NotFound(f"There is no case {case_id}.")
    source = case.process_version
    if source.process_id != target.process_id:
        raise InvalidInput(f"Case {case_id} runs {source.process_id}, not {target.process_id}.",
                           {"case_id": ["Another process"]})
    reasons = _not_eligible(case, source, target)
    if not reasons:
        try:
            run = engine_migrate(ctx.bundles.get(source), case.state, ctx.bundles.get(target))
        except MigrationRefused as refused:
            reasons = refused.reasons
    if reasons:
        audit.record(ctx.session, user.username, AuditAction.CASE_MIGRATION_REFUSED, case.id,
                     data={"from": source.label, "to": target.label, "reasons": reasons})
        return MoveResult(case.id, False, reasons, source.label, target.label)
    case.process_version_id = target.id
    case.process_version = target
    save_run(ctx, case, run)
    _refresh_ready_rows(ctx.session, case, run)
    audit.record(ctx.session, user.username, AuditAction.CASE_MIGRATED, case.id,
                 data={"from": source.label, "to": target.label,
                       "current": [e.element_id for e in run.active_elements()]})
    return MoveResult(case.id, True, [], source.label, target.label)


def migrate_cases(ctx: Context, user: User, case_ids: list[int], target_id: int,
                  unit: Callable[[Session], AbstractContextManager[Session]] = transaction,
                  progress: Callable[[int, int, MoveResult], None] | None = None) -> MigrationSummary:
    """Move each case in its own unit of work (``transaction`` by default) and sum up."""
    require_owner(user)
    summary = MigrationSummary(get_version(ctx.session, target_id).label)
    for done, case_id in enumerate(case_ids, start=1):
        try:
            with unit(ctx.session):
                result = migrate_case(ctx, user, case_id, target_id)
        except BoundaryError as error:  # gone, another process, or changed at the same moment
            result = MoveResult(case_id, False, [error.message])
        (summary.moved if result.moved else summary.refused).append(result)
        if progress:
            progress(done, len(case_ids), result)
    return summary


def _not_eligible(case: Case, source: ProcessVersion, target: ProcessVersion) -> list[str]:
    if case.status != CaseStatus.ACTIVE:
        return [f"It is {case.status}; only active cases move."]
    if source.id == target.id:
        return [f"It is already on {target.label}."]
    if source.number > target.number:
        return [f"It is on {source.label}, newer than {target.label}."]
    return []


def _refresh_ready_rows(session: Session, case: Case, run: CaseRun) -> None:
    """Ready tasks keep their ids across a move; their title and role follow the new version."""
    ready = {task.id: task.info for task in run.ready_tasks()}
    for row in session.scalars(select(TaskRecord).where(TaskRecord.case_id == case.id,
                                                        TaskRecord.status == TaskStatus.READY)):
        info = ready.get(row.id)
        if info is not None:
            row.element_id, row.title, row.role = info.element_id, info.title, role_for_lane(info.lane)
