"""The supervisor's figures (SCO 7.1), computed from the audit record and indexed rows.

Figures come from what was recorded (completed tasks with their submitted
data, messages received), so the same period always gives the same numbers.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean, median

from sqlalchemy import func, select

from ..engine import clock
from ..models import AuditEvent, Case, PurgedCase, StageVisit, TaskRecord
from .persistence import STAGES


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
    disputes: Counter = field(default_factory=Counter)
    cases_by_stage: dict[str, int] = field(default_factory=dict)
    per_month: dict[str, Counter] = field(default_factory=dict)
    time_in_stage: dict[str, StageTime] = field(default_factory=dict)


@dataclass
class StageTime:
    """Stays in one stage that ended in the period: how many, and their mean and median length."""
    stays: int
    mean_days: float
    median_days: float


def _month(moment: datetime) -> str:
    return f"{moment:%Y-%m}"


def yearly_report(session, start: datetime, end: datetime) -> Report:
    report = Report(start, end)
    counts, per_month = Counter(), defaultdict(Counter)
    events = session.scalars(select(AuditEvent).where(AuditEvent.created_at >= start, AuditEvent.created_at < end,
                                                      AuditEvent.action.in_(["case_started", "task_completed",
                                                                             "message_received"])))
    for event in events:
        month, data = _month(event.created_at), event.data or {}
        kinds = []
        if event.action == "case_started":
            kinds.append("cases_opened")
        elif event.action == "message_received" and data.get("name") == "breach_reported":
            kinds.append("breaches")
        elif event.element_id == "issue_warning":
            kinds.append("warnings_issued")
        elif event.element_id == "notify_contact_strategy":
            kinds.append("strategies_introduced")
        elif event.element_id == "review_incoming_contact" and data.get("is_breach"):
            kinds.append("breaches")
        elif event.element_id == "consider_police_report" and data.get("report_to_police"):
            kinds.append("police_referrals")
        elif event.element_id == "escalate_breach" and data.get("outcome") == "report_to_police":
            kinds.append("police_referrals")
        elif event.element_id == "consider_dispute":
            kinds.append("disputes")
            report.disputes[data.get("outcome", "unknown")] += 1
        elif event.element_id == "review_contact_strategy":
            kinds.append("reviews_done")
        for kind in kinds:
            counts[kind] += 1
            per_month[month][kind] += 1
    now = clock.now()
    counts["reviews_overdue"] = session.scalar(select(func.count()).select_from(TaskRecord).where(
        TaskRecord.element_id == "review_contact_strategy", TaskRecord.status == "ready", TaskRecord.due_at < now))
    for name in FIGURE_NAMES:
        report.figures[name] = counts.get(name, 0)
    by_stage = Counter(dict(session.execute(select(Case.stage, func.count()).group_by(Case.stage)).all()))
    # Purged cases (retention) still count where they ended, so the figures add up after a purge.
    by_stage.update(dict(session.execute(select(PurgedCase.stage, func.count()).group_by(PurgedCase.stage)).all()))
    report.cases_by_stage = dict(by_stage)
    report.per_month = dict(sorted(per_month.items()))
    report.time_in_stage = time_in_stage(session, start, end)
    return report


def time_in_stage(session, start: datetime, end: datetime) -> dict[str, StageTime]:
    """From the stage history: every stay that ended within the period, in days, per stage."""
    days: dict[str, list[float]] = defaultdict(list)
    rows = session.execute(select(StageVisit.stage, StageVisit.entered_at, StageVisit.left_at).where(
        StageVisit.left_at >= start, StageVisit.left_at < end))
    for stage, entered, left in rows:
        days[stage].append((left - entered).total_seconds() / 86400)
    order = {stage: i for i, stage in enumerate(STAGES)}
    return {stage: StageTime(len(values), round(mean(values), 1), round(median(values), 1))
            for stage, values in sorted(days.items(), key=lambda item: order.get(item[0], len(order)))}


def csv_rows(report: Report) -> list[list]:
    """The report as CSV rows: figures, disputes by outcome, then time in each stage."""
    rows = [["figure", "value"]]
    rows += [[name, count] for name, count in report.figures.items()]
    rows += [[f"disputes_{outcome}", count] for outcome, count in report.disputes.items()]
    for stage, stay in report.time_in_stage.items():
        rows += [[f"days_in_{stage}_mean", stay.mean_days], [f"days_in_{stage}_median", stay.median_days],
                 [f"stays_in_{stage}", stay.stays]]
    return rows
