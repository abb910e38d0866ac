"""The report's time in each stage (SCO 7.1), from the stage history the service keeps."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from process_driver import Driver
from service.domain.monitoring import reports
from service.extensions import db
from web_support import Staff

REVIEW = {"behaviour_unacceptable": True, "welfare_support_offered": True, "decision": "address_behaviour",
          "rationale": "A pattern"}
CAUSES = {**{k: "yes" for k in ["process_explained", "handled_proportionately", "communicated_regularly",
                                "support_offered", "rationale_given"]}, "additional_needs_identified": False}
PERIOD = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))


def test_time_in_each_stage_is_measured_per_stay(process_app):
    quick, slow = Driver(process_app.test_client()).start(), Driver(process_app.test_client()).start()
    quick.later(days=2)
    quick.do("manager_review", "line_manager", REVIEW)
    quick.later(days=3)
    quick.do("check_underlying_causes", "case_officer", CAUSES)
    slow.later(days=2)  # four days after both started
    slow.do("manager_review", "line_manager", REVIEW)
    assert (quick.case["stage"], slow.case["stage"]) == ("warning", "causes_check")

    report = reports.yearly_report(db.session, *PERIOD)
    assert list(report.time_in_stage) == ["manager_review", "causes_check"]  # in the spec's order
    review = report.time_in_stage["manager_review"]
    assert (review.stays, review.mean_days, review.median_days) == (2, 4.5, 4.5)  # 2 days and 7 days
    causes = report.time_in_stage["causes_check"]
    assert (causes.stays, causes.mean_days) == (1, 3.0)  # still in warning and causes_check: not counted yet

    supervisor = Staff(process_app, "supervisor")
    rows = dict(csv.reader(io.StringIO(supervisor.get("/monitoring/report?from=2026-01-01&to=2026-12-31&format=csv").text)))
    assert (rows["days_in_manager_review_mean"], rows["stays_in_manager_review"]) == ("4.5", "2")
    assert "Time cases spent in each stage" in supervisor.get("/monitoring/report?from=2026-01-01&to=2026-12-31").text
    earlier = reports.yearly_report(db.session, PERIOD[0], datetime(2026, 3, 3, tzinfo=timezone.utc))
    assert earlier.time_in_stage == {}  # no stay had ended by then
