"""CaseRun: the engine behind Boundary's own small interface."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from helpers import FIXTURES
from service.engine import CaseRun, NotWaitingForMessage, ScriptFailed, TaskNotReady, clock, load_bundle

SIMPLE = (FIXTURES / "workflows" / "simple.bpmn").read_bytes()


@pytest.fixture
def bundle():
    return load_bundle({"simple.bpmn": SIMPLE})


def started(bundle, **data):
    return CaseRun.start(bundle, {"wait_period": "P1D", **data})


def reload(run):
    return CaseRun.load(run.bundle, run.dump())


def complete_only(run, element_id, data=None):
    [task] = [t for t in run.ready_tasks() if t.info.element_id == element_id]
    run.complete(task.id, data or {})
    return reload(run)


def test_state_stores_the_spec_by_reference(bundle):
    run = started(bundle)
    state = json.loads(run.dump())
    assert "spec" not in state and "subprocess_specs" not in state
    assert "first_review" not in json.dumps({k: v for k, v in state.items() if k != "tasks"})


def test_state_grows_with_the_case_history_only(bundle):
    sizes = []
    for _ in range(3):
        run = complete_only(complete_only(started(bundle), "first_review"), "approve", {"decision": "approve"})
        sizes.append(len(run.dump()))
    assert max(sizes) - min(sizes) < 50  # same history, same size (timestamps aside): no spec inside
    assert sizes[0] < 12_000


def test_a_round_trip_keeps_tasks_data_and_waiting(bundle):
    run = complete_only(started(bundle, name="A"), "first_review", {"notes": "ok"})
    run = complete_only(run, "approve", {"decision": "approve"})
    waiting = {(w.kind, w.name) for w in run.waiting()}
    assert waiting == {("message", "nudge"), ("timer", "timed_out")}
    [timer] = [w for w in run.waiting() if w.kind == "timer"]
    assert timer.due_at == clock.now() + timedelta(days=1)
    assert run.data()["notes"] == "ok" and run.data()["name"] == "A"


def test_only_a_ready_task_can_be_completed(bundle):
    run = started(bundle)
    [task] = run.ready_tasks()
    run.complete(task.id, {})
    with pytest.raises(TaskNotReady):
        run.complete(task.id, {})
    with pytest.raises(TaskNotReady):
        run.complete("not-a-uuid", {})


def test_messages_are_delivered_only_when_waited_for(bundle):
    run = started(bundle)
    with pytest.raises(NotWaitingForMessage):
        run.send_message("nudge", {"reason": "x"})
    run = complete_only(complete_only(run, "first_review"), "approve", {"decision": "approve"})
    run.send_message("nudge", {"reason": "x"})
    [task] = run.ready_tasks()
    assert task.info.element_id == "follow_up" and task.data["nudge"] == {"reason": "x"}


def test_timers_fire_when_the_clock_passes_them(bundle):
    run = complete_only(complete_only(started(bundle), "first_review"), "approve", {"decision": "approve"})
    run.fire_due_timers()
    assert [t.info.element_id for t in run.ready_tasks()] == []
    clock.advance(timedelta(days=1, seconds=1))
    run = reload(run)
    run.fire_due_timers()
    assert [t.info.element_id for t in run.ready_tasks()] == ["follow_up"]


def test_end_events_and_completion(bundle):
    run = complete_only(complete_only(started(bundle), "first_review"), "approve", {"decision": "reject"})
    assert run.finished
    assert [e.element_id for e in run.reached_end_events()] == ["end_rejected"]


def test_diagram_code_failure_is_a_script_failure(bundle):
    run = complete_only(started(bundle), "first_review")
    [task] = run.ready_tasks()
    with pytest.raises(ScriptFailed, match="decision"):
        run.complete(task.id, {})  # the gateway condition reads `decision`, which is missing
