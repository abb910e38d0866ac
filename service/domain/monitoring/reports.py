"""The supervisor's figures (SCO 7.1), computed from the audit record and indexed rows.

Figures come from what was recorded (completed tasks with their submitted
data, messages received), so the same period always gives the same numbers.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean, median
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select

from ...engine import clock
from ...errors import InvalidInput
from ...models import AuditEvent, Case, PurgedCase, StageVisit, TaskRecord, TaskStatus
from ..core import audit
from ..core.audit import AuditAction
from ..core.vocabulary import STAGES
from .csv_export import to_csv

if TYPE_CHECKING:
    from ..core.context import Session

FIGURE_NAMES = {
    "cases_opened": "Cases opened", "warnings_issued": "Warnings issued",
    "strategies_introduced": "Contact strategies introduced", "breaches": "Breaches",
    "police_referrals": "Police referrals", "disputes": "Disputes", "reviews_done": "Reviews done",
    "reviews_overdue": "Reviews overdue now",
}


@dataclass
class Report:
    start: datetime
    end: datetime
    figures: dict[str, int] = field(default_factory=dict)
    disputes: Counter[str] = field(default_factory=Counter)
    cases_by_stage: dict[str, int] = field(default_factory=dict)
    per_month: dict[str, Counter[str]] = field(default_factory=dict)
    time_in_stage: dict[str, StageTime] = field(default_factory=dict)


@dataclass
class StageTime:
    """Stays in one stage that ended in the period: how many, and their mean and median length."""
    stays: int
    mean_days: float
    median_days: float


# Figures that need only which event it was: the database counts them, month by month.
# Warnings and strategies count when their letter was issued (CLE 9.6, SCO 5.3), never a draft.
COUNTED = {("case_started", None): "cases_opened", ("letter_issued", "issue_warning"): "warnings_issued",
           ("letter_issued", "notify_contact_strategy"): "strategies_introduced",
           ("task_completed", "review_contact_strategy"): "reviews_done"}
# Figures that depend on what was submitted: few rows, read one by one.
READ = ("review_incoming_contact", "consider_police_report", "escalate_breach", "consider_dispute")


def _months(start: datetime, end: datetime) -> Iterator[tuple[str, datetime, datetime]]:
    """The calendar months (UTC) the period touches, each cut to the period."""
    month = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while month < end:
        following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
        yield f"{month:%Y-%m}", max(month, start), min(following, end)
        month = following


def _kinds(action: str, element_id: str | None, data: dict[str, Any]) -> list[str]:
    if action == "message_received":
        return ["breaches"] if data.get("name") == "breach_reported" else []
    if element_id == "review_incoming_contact" and data.get("is_breach"):
        return ["breaches"]
    if element_id == "consider_police_report" and data.get("report_to_police"):
        return ["police_referrals"]
    if element_id == "escalate_breach" and data.get("outcome") == "report_to_police":
        return ["police_referrals"]
    if element_id == "consider_dispute":
        return ["disputes"]
    return []


MAX_PERIOD_DAYS = 3660  # ten years: the figures are counted month by month, one query each


def check_period(start: datetime, end: datetime) -> None:
    """Refuse a period the report cannot sensibly count (0001-01-01 to 9999-12-31 was 120,000 queries)."""
    if end < start:
        raise InvalidInput("The report's end date is before its start date.",
                           {"to": ["Enter an end date on or after the start date"]})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput("A report covers at most ten years: choose a shorter period.",
                           {"from": ["Choose a start date at most ten years before the end date"]})


def yearly_report(session: Session, start: datetime, end: datetime) -> Report:
    """The spec's report for a period: the figures, cases by stage, time in each stage."""
    check_period(start, end)
    report = count_figures(session, start, end)
    by_stage = Counter(dict(session.execute(select(Case.stage, func.count()).group_by(Case.stage)).all()))
    # Purged cases (retention) still count where they ended, so the figures add up after a purge.
    by_stage.update(dict(session.execute(select(PurgedCase.stage, func.count()).group_by(PurgedCase.stage)).all()))
    report.cases_by_stage = dict(by_stage)
    report.time_in_stage = time_in_stage(session, start, end)
    return report


def count_figures(session: Session, start: datetime, end: datetime) -> Report:
    """The figures, in total and per month (what the dashboard draws).

    Grouped counts come from the database month by month (a large office's
    year is hundreds of thousands of events); only events whose submitted data
    decides the figure are read row by row."""
    report = Report(start, end)
    counts: Counter[str] = Counter()
    per_month: defaultdict[str, Counter[str]] = defaultdict(Counter)
    counted = or_(AuditEvent.action == AuditAction.CASE_STARTED, *(
        and_(AuditEvent.action == action, AuditEvent.element_id == element) for action, element in COUNTED if element))
    for month, month_start, month_end in _months(start, end):
        rows = session.execute(select(AuditEvent.action, AuditEvent.element_id, func.count()).where(
            AuditEvent.created_at >= month_start, AuditEvent.created_at < month_end, counted)
            .group_by(AuditEvent.action, AuditEvent.element_id))
        for action, element_id, number in rows:
            kind = COUNTED.get((action, None if action == "case_started" else element_id))
            if kind:
                counts[kind] += number
                per_month[month][kind] += number
    events = session.execute(select(AuditEvent.action, AuditEvent.element_id, AuditEvent.data, AuditEvent.created_at)
                             .where(AuditEvent.created_at >= start, AuditEvent.created_at < end, or_(
                                 AuditEvent.action == AuditAction.MESSAGE_RECEIVED,
                                 and_(AuditEvent.action == AuditAction.TASK_COMPLETED, AuditEvent.element_id.in_(READ)))))
    for action, element_id, data, created_at in events:
        data = data or {}
        if element_id == "consider_dispute":
            report.disputes[data.get("outcome", "unknown")] += 1
        for kind in _kinds(action, element_id, data):
            counts[kind] += 1
            per_month[f"{created_at:%Y-%m}"][kind] += 1
    now = clock.now()
    counts["reviews_overdue"] = session.scalar(select(func.count()).select_from(TaskRecord).where(  # type: ignore[assignment]
        TaskRecord.element_id == "review_contact_strategy", TaskRecord.status == TaskStatus.READY, TaskRecord.due_at < now))
    for name in FIGURE_NAMES:
        report.figures[name] = counts.get(name, 0)
    report.per_month = dict(sorted(per_month.items()))
    return report


def time_in_stage(session: Session, start: datetime, end: datetime) -> dict[str, StageTime]:
    """From the stage history: every stay that ended within the period, in days, per stage."""
    days: dict[str, list[float]] = defaultdict(list)
    rows = session.execute(select(StageVisit.stage, StageVisit.entered_at, StageVisit.left_at).where(
        StageVisit.left_at >= start, StageVisit.left_at < end))
    for stage, entered, left in rows:
        if left is None:  # the WHERE clause keeps only ended stays
            continue
        days[stage].append((left - entered).total_seconds() / 86400)
    order = {stage: i for i, stage in enumerate(STAGES)}
    return {stage: StageTime(len(values), round(mean(values), 1), round(median(values), 1))
            for stage, values in sorted(days.items(), key=lambda item: order.get(item[0], len(order)))}


def csv_rows(report: Report) -> list[list[Any]]:
    """The report as CSV rows: figures, disputes by outcome, then time in each stage."""
    rows: list[list[Any]] = [["figure", "value"]]
    rows += [[name, count] for name, count in report.figures.items()]
    rows += [[f"disputes_{outcome}", count] for outcome, count in report.disputes.items()]
    for stage, stay in report.time_in_stage.items():
        rows += [[f"days_in_{stage}_mean", stay.mean_days], [f"days_in_{stage}_median", stay.median_days],
                 [f"stays_in_{stage}", stay.stays]]
    return rows


def export_csv(session: Session, actor: str, report: Report, start: datetime, end: datetime) -> str:
    """The report as CSV (cells made safe for spreadsheets), the export on the record."""
    audit.record(session, actor, AuditAction.REPORT_EXPORTED, data={"from": start.isoformat(), "to": end.isoformat()})
    return to_csv(csv_rows(report))
