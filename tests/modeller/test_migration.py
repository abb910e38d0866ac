"""Moving running cases to a newer version: the dry run, refusals, one case, in bulk, the audit record."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from modeller_support import SIMPLE
from service.domain.casework import migration
from service.domain.core.transaction import transaction
from service.domain.definitions import modeller
from service.extensions import db
from service.models import AuditEvent, Case, TaskRecord, TimerRecord

RENAMED = SIMPLE.replace('name="First review"', 'name="First look"').replace('name="Approve"', 'name="Sign off"')
SHORTER_WAIT = SIMPLE.replace("<bpmn:timeDuration>wait_period</bpmn:timeDuration>",
                              '<bpmn:timeDuration>"P1M"</bpmn:timeDuration>')


def without_first_review(text: str) -> str:
    """The fixture with the first task removed: the start leads straight to Approve."""
    text = re.sub(r'<bpmn:userTask id="first_review".*?</bpmn:userTask>', "", text, flags=re.S)
    text = text.replace('<bpmn:flowNodeRef>first_review</bpmn:flowNodeRef>', "")
    text = text.replace('<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first_review" />',
                        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />')
    text = text.replace('<bpmn:sequenceFlow id="f2" sourceRef="first_review" targetRef="approve" />', "")
    return text.replace('<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>',
                        '<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>')


@pytest.fixture
def deploy(ctx, owner):
    def run(text: str, note: str = "change"):
        with transaction(db.session):
            return modeller.deploy_diagram(ctx, owner, {"simple.bpmn": text.encode()}, note)
    return run


def test_the_dry_run_lists_who_can_move_and_refuses_a_case_whose_current_step_was_removed(
        ctx, deploy, start_case, complete):
    on_first_review = start_case()
    on_approve = complete(start_case(matter_reference="M-2"), {"notes": "read"})
    new = deploy(without_first_review(SIMPLE))
    moves = {m.case_id: m for m in migration.dry_run(ctx, new.id)}
    assert set(moves) == {on_first_review["id"], on_approve["id"]}
    refused = moves[on_first_review["id"]]
    assert not refused.movable and refused.current == ["First review"]
    assert "First review (first_review) is not in the new version" in refused.reasons[0]
    # the other case already passed first_review: its history would point at nothing
    assert not moves[on_approve["id"]].movable
    assert "already passed First review" in moves[on_approve["id"]].reasons[0]
    assert {c.process_version.number for c in Case.query} == {1}  # a dry run changes nothing
    assert AuditEvent.query.filter(AuditEvent.action.like("case_migration%")).count() == 0


def test_a_case_moves_and_its_task_follows_the_new_version(ctx, owner, deploy, start_case):
    case = start_case()
    new = deploy(RENAMED)
    [move] = migration.dry_run(ctx, new.id)
    assert move.movable and move.from_version == "fixture_process v1"
    with transaction(db.session):
        result = migration.migrate_case(ctx, owner, case["id"], new.id)
    assert result.moved and result.to_version == "fixture_process v2"
    stored = db.session.get(Case, case["id"])
    assert stored.process_version_id == new.id
    task = TaskRecord.query.filter_by(case_id=case["id"], status="ready").one()
    assert task.id == case["ready_tasks"][0]["id"] and task.title == "First look"
    event = AuditEvent.query.filter_by(action="case_migrated", case_id=case["id"]).one()
    assert event.actor == "process_owner" and event.data["from"] == "fixture_process v1"
    assert event.data["to"] == "fixture_process v2" and event.data["current"] == ["first_review"]


def test_a_moved_case_carries_on_under_the_new_version(ctx, owner, deploy, start_case, complete):
    case = start_case()
    new = deploy(RENAMED)
    with transaction(db.session):
        migration.migrate_case(ctx, owner, case["id"], new.id)
    after = complete(case, {"notes": "read"})
    assert after["process_version"] == "fixture_process v2"
    assert after["ready_tasks"][0]["title"] == "Sign off"


def test_a_refused_move_changes_nothing_but_is_recorded(ctx, owner, deploy, start_case):
    case = start_case()
    new = deploy(without_first_review(SIMPLE))
    before = db.session.get(Case, case["id"]).state
    with transaction(db.session):
        result = migration.migrate_case(ctx, owner, case["id"], new.id)
    assert not result.moved and "not in the new version" in result.reasons[0]
    stored = db.session.get(Case, case["id"])
    assert stored.process_version.number == 1 and stored.state == before
    event = AuditEvent.query.filter_by(action="case_migration_refused", case_id=case["id"]).one()
    assert "first_review" in event.data["reasons"][0]


def test_a_waiting_timer_keeps_its_due_date_or_counts_a_shorter_wait_from_its_start(
        ctx, owner, deploy, start_case, complete, frozen_clock):
    waiting = complete(complete(start_case(), {"notes": "read"}), {"decision": "approve"})
    other = complete(complete(start_case(matter_reference="M-2"), {"notes": "read"}), {"decision": "approve"})
    due = datetime(2026, 6, 2, 9, tzinfo=timezone.utc)
    assert TimerRecord.query.filter_by(case_id=waiting["id"]).one().due_at == due
    frozen_clock.advance(timedelta(days=10))
    renamed = deploy(RENAMED)
    with transaction(db.session):
        assert migration.migrate_case(ctx, owner, waiting["id"], renamed.id).moved
    assert TimerRecord.query.filter_by(case_id=waiting["id"]).one().due_at == due
    shorter = deploy(SHORTER_WAIT)
    with transaction(db.session):
        assert migration.migrate_case(ctx, owner, other["id"], shorter.id).moved
    # one month from when the wait began (2 March), not from the move
    assert TimerRecord.query.filter_by(case_id=other["id"]).one().due_at == datetime(2026, 4, 2, 9, tzinfo=timezone.utc)


def test_a_bulk_move_takes_each_case_in_its_own_transaction_and_sums_up(ctx, owner, deploy, start_case, complete):
    on_first_review = [start_case(matter_reference=f"M-{n}")["id"] for n in range(3)]
    on_approve = complete(start_case(matter_reference="M-9"), {"notes": "read"})["id"]
    new = deploy(RENAMED)
    seen = []
    summary = migration.migrate_cases(ctx, owner, on_first_review + [on_approve, 999999], new.id,
                                      progress=lambda done, total, result: seen.append((done, total, result.moved)))
    assert summary.target == "fixture_process v2"
    assert [r.case_id for r in summary.moved] == on_first_review + [on_approve]
    assert [r.case_id for r in summary.refused] == [999999] and "no case 999999" in summary.refused[0].reasons[0]
    assert seen == [(1, 5, True), (2, 5, True), (3, 5, True), (4, 5, True), (5, 5, False)]
    assert AuditEvent.query.filter_by(action="case_migrated").count() == 4
    db.session.expire_all()  # each move was committed on its own: read them back
    assert {db.session.get(Case, i).process_version_id for i in on_first_review + [on_approve]} == {new.id}


def test_closed_or_already_moved_cases_are_refused_with_a_reason(ctx, owner, deploy, start_case, complete):
    case = start_case()
    closed = complete(complete(start_case(matter_reference="M-2"), {"notes": "x"}), {"decision": "reject"})
    assert closed["status"] == "closed"
    new = deploy(RENAMED)
    with transaction(db.session):
        assert migration.migrate_case(ctx, owner, case["id"], new.id).moved
    with transaction(db.session):
        again = migration.migrate_case(ctx, owner, case["id"], new.id)
        gone = migration.migrate_case(ctx, owner, closed["id"], new.id)
    assert "already on fixture_process v2" in again.reasons[0]
    assert "closed" in gone.reasons[0]


def test_the_migration_pages_show_the_dry_run_and_the_summary(pages, deploy, start_case):
    first = start_case()["id"]
    second = start_case(matter_reference="M-2")["id"]
    new = deploy(RENAMED)
    page = pages.get(f"/modeller/processes/versions/{new.id}/migrate").text
    assert f'data-case-id="{first}" data-movable="true"' in page and "2</strong> of 2" in page
    nothing = pages.form(f"/modeller/processes/versions/{new.id}/migrate", {"scope": "selected"})
    assert nothing.status_code == 422 and "Select at least one case" in nothing.text
    summary = pages.form(f"/modeller/processes/versions/{new.id}/migrate", {"scope": "selected", "case_id": str(first)})
    assert summary.status_code == 200 and "1 moved, 0 refused" in summary.text
    one = pages.json("/modeller/migrate-case", {"version_id": new.id, "case_id": second}).get_json()
    assert one["moved"] is True and one["to_version"] == "fixture_process v2"
    again = pages.json("/modeller/migrate-case", {"version_id": new.id, "case_id": second}).get_json()
    assert again["moved"] is False and "already on" in again["reasons"][0]
    assert "No active case runs on an older version" in pages.get(f"/modeller/processes/versions/{new.id}/migrate").text


def test_only_a_process_owner_moves_cases(app, deploy, start_case, as_user):
    case = start_case()
    new = deploy(RENAMED)
    from modeller_support import PageClient
    staff = PageClient(app.test_client(), "line_manager")
    assert staff.json("/modeller/migrate-case", {"version_id": new.id, "case_id": case["id"]}).status_code == 403
    assert db.session.get(Case, case["id"]).process_version.number == 1
