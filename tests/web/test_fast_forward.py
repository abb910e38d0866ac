"""Development only: a newcomer moves one case's time forward to see a review fire (issue #21, item 8)."""
from __future__ import annotations

from service.extensions import db
from service.models import AuditEvent, TaskRecord
from web.test_task_deciding import active_strategy
from web_support import main_text


def test_fast_forward_fires_the_review_of_one_case(web_app, setup, staff):
    case_id, other = active_strategy(setup), active_strategy(setup)
    result = web_app.test_cli_runner().invoke(args=["fast-forward", str(case_id)])
    assert result.exit_code == 0, result.output
    assert f"Case B-{case_id:06d} moved forward 31 days; fired: review_due." in result.output
    assert "Ready: Review the contact strategy (case_officer)" in result.output
    with web_app.app_context():
        ready = {(t.case_id, t.element_id) for t in db.session.query(TaskRecord).filter_by(status="ready")}
        assert (case_id, "review_contact_strategy") in ready
        assert (other, "review_contact_strategy") not in ready  # only the case named moved
        assert db.session.query(AuditEvent).filter_by(case_id=case_id, action="clock_moved_forward").count() == 1
    record = main_text(staff("case_officer").get(f"/cases/{case_id}"))
    assert "Clock moved forward" in record and "Development only" in record


def test_fast_forward_is_refused_in_production_and_for_a_case_not_waiting(web_app, setup):
    case_id = active_strategy(setup)
    environment, web_app.config["ENV"] = web_app.config["ENV"], "production"
    try:
        refused = web_app.test_cli_runner().invoke(args=["fast-forward", str(case_id)])
    finally:
        web_app.config["ENV"] = environment
    assert refused.exit_code != 0 and "for development and demonstrations only" in refused.output
    waiting_on_people = setup.start()
    nothing = web_app.test_cli_runner().invoke(args=["fast-forward", str(waiting_on_people)])
    assert nothing.exit_code != 0 and "is not waiting for any time to pass" in nothing.output
    with web_app.app_context():
        assert db.session.query(TaskRecord).filter_by(case_id=case_id, element_id="review_contact_strategy").count() == 0


def test_the_readme_names_every_demo_user_the_real_addresses_and_the_walkthrough(web_app, staff):
    from helpers import CHECKOUT
    from service.domain.people.roles import ROLES
    readme = (CHECKOUT / "README.md").read_text()
    for username in [*ROLES, "all_roles"]:
        assert f"| `{username}` |" in readme, username
    assert "(`/processes`" not in readme and "(`/modeller/processes`" in readme
    assert staff("process_owner").get("/modeller/processes").status_code == 200
    walkthrough = readme.split("### A walkthrough")[1].split("\n## ")[0]
    assert all(f"\n{n}. " in walkthrough for n in range(1, 10)) and "\n10. " in walkthrough
    assert "flask --app service fast-forward 1" in walkthrough
