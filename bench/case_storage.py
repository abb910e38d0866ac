"""Bytes stored for one case after the full escalation path (workflows/contact_management.bpmn).

Walks one case through the shipped process with the API, as staff would
(the same driver as tests/process): incident -> manager review -> underlying
causes -> warning -> monitoring -> further incident -> contact strategy
(proposal, IRM, authorisation, notice) -> breach -> escalation -> legal
advice and further action -> another breach -> report to the police. Then it
counts what the database holds for that case: the engine state, its task,
timer and message rows, its audit record, letters and contact log.

    .venv/bin/python bench/case_storage.py [--database sqlite|postgres]
"""
from __future__ import annotations

import argparse
import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import harness

INCIDENT_AGAIN = {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17", "incident_date": "2026-03-02",
                  "channel": "email", "behaviour_types": ["unreasonable_demands"], "description": "Again"}


def walk(driver) -> list[str]:
    """The full escalation path; returns the stages the case went through."""
    from process_driver import CONFIRMATIONS, PROPOSAL  # tests/process/conftest.py, loaded by measure()
    stages = []
    driver.to_monitoring()
    stages.append(driver.case["stage"])
    driver.send("further_incident", INCIDENT_AGAIN)
    driver.do("propose_contact_strategy", "case_officer", PROPOSAL)
    driver.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "Fine"})
    driver.do("authorise_contact_strategy", "authorising_officer",
              {**CONFIRMATIONS, "decision": "approve", "comments": "Approved"})
    driver.do("notify_contact_strategy", "case_officer", {"delivery": ["post", "email"], "agreement_sought": False})
    stages.append(driver.case["stage"])
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Called 30 times"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "seek_legal_advice", "rationale": "r"})
    driver.do("further_action", "independent_review_manager", {"advice_summary": "s", "action": "none"})
    driver.send("breach_reported", {"breach_date": "2026-03-02", "description": "Again"})
    driver.do("handle_breach", "case_officer", {"reminder_sent": False, "escalate": True})
    driver.do("escalate_breach", "independent_review_manager", {"outcome": "report_to_police", "rationale": "r"})
    stages.append(driver.case["stage"])
    return stages


def measure(database: str) -> dict:
    import importlib.util

    from sqlalchemy import func, select

    from helpers import CHECKOUT, make_app
    from service.engine import clock
    from service.extensions import db
    from service.models import AuditEvent, Case, ContactLogEntry, Letter, MessageWait, TaskRecord, TimerRecord

    spec = importlib.util.spec_from_file_location("process_driver", CHECKOUT / "tests" / "process" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import sys
    sys.modules["process_driver"] = module

    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    app = make_app(Path(tempfile.mkdtemp(prefix="boundary-bench-")), database=database,
                   workflows=CHECKOUT / "workflows", forms=CHECKOUT / "forms", process="contact_management")
    with app.app_context():
        driver = module.Driver(app.test_client())
        stages = walk(driver)
        case_id = driver.case["id"]
        case = db.session.get(Case, case_id)

        def text_bytes(rows, *columns):
            return sum(len(str(getattr(r, c) or "").encode()) for r in rows for c in columns)

        tasks = db.session.scalars(select(TaskRecord).where(TaskRecord.case_id == case_id)).all()
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)).all()
        letters = db.session.scalars(select(Letter).where(Letter.case_id == case_id)).all()
        contacts = db.session.scalars(select(ContactLogEntry).where(ContactLogEntry.case_id == case_id)).all()
        result = {
            "database": database, "stages": stages, "final_stage": case.stage, "status": case.status,
            "state_bytes": len(case.state.encode()),
            "task_rows": len(tasks), "task_row_text_bytes": text_bytes(tasks, "id", "element_id", "title", "role",
                                                                       "completed_by"),
            "timer_rows": db.session.scalar(select(func.count()).select_from(TimerRecord)
                                            .where(TimerRecord.case_id == case_id)),
            "message_rows": db.session.scalar(select(func.count()).select_from(MessageWait)
                                              .where(MessageWait.case_id == case_id)),
            "audit_rows": len(audit),
            "audit_data_bytes": sum(len(json.dumps(a.data, default=str).encode()) for a in audit),
            "letters": len(letters), "letter_html_bytes": text_bytes(letters, "html"),
            "contact_log_rows": len(contacts),
        }
        result["total_payload_bytes"] = (result["state_bytes"] + result["task_row_text_bytes"]
                                         + result["audit_data_bytes"] + result["letter_html_bytes"])
        if db.engine.dialect.name == "postgresql":  # TOAST compresses large values
            result["state_bytes_stored_compressed"] = db.session.scalar(
                select(func.pg_column_size(Case.state)).where(Case.id == case_id))
        result["database_bytes_all_tables"] = sum(harness.stored_bytes(app).values())
        db.session.remove()
        db.engine.dispose()
    clock.reset()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (a file) or postgres (a throwaway server)")
    args = parser.parse_args()
    result = measure("file" if args.database == "sqlite" else args.database)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
