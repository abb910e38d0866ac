"""A case runs the same whichever process's cached specs it meets (issue #17).

Two bundles parsed from the same files stand in for two worker processes:
each keeps its own specs, as each gunicorn worker does.
"""
from __future__ import annotations

import copy

import pytest
from SpiffWorkflow.bpmn import BpmnEvent

from helpers import CHECKOUT
from service.engine import CaseRun, load_bundle
from service.engine.spec_integrity import fingerprint

INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17", "incident_date": "2026-03-01",
            "channel": "telephone", "behaviour_types": ["unreasonable_demands"], "description": "Phoned twenty times"}
CONTACT = {"contact_date": "2026-03-01", "channel": "email", "summary": "Wrote again"}

ANY_STAGE = "social_media_post"  # the one message accepted at any stage of an open case (acceptedWhileOpen)


def shipped_bundle():
    files = {path.name: path.read_bytes() for path in (CHECKOUT / "workflows").glob("*.bpmn")}
    return load_bundle(files, "contact_management")


@pytest.fixture
def worker_a():
    return shipped_bundle()


@pytest.fixture
def worker_b():
    return shipped_bundle()


def deliver(run: CaseRun, name: str, payload: dict) -> None:
    """Start an event sub-process the way the engine does, bypassing Boundary's stage scoping."""
    sub = run.workflow.subprocess_specs[f"on_{name}" if name != "contact_received" else "on_contact_received"]
    definition = sub.bpmn_start_events[0].event_definition
    run.workflow.send_event(BpmnEvent(copy.copy(definition), payload=payload))
    run._steps()


def ready(run: CaseRun) -> list[str]:
    return sorted(t.info.element_id for t in run.ready_tasks())


def test_an_event_subprocess_started_in_one_process_finishes_in_another(worker_a, worker_b):
    run = CaseRun.start(worker_a, INCIDENT)
    deliver(run, "contact_received", CONTACT)
    assert "review_incoming_contact" in ready(run)

    moved = CaseRun.load(worker_b, run.dump())  # the next request is served by the other worker
    [review] = [t for t in moved.ready_tasks() if t.info.element_id == "review_incoming_contact"]
    moved.complete(review.id, {"classification": ["same_matter_no_new_info"], "is_breach": False})

    assert ready(moved) == ["manager_review"]


def test_delivering_a_message_changes_no_shared_spec(worker_a):
    quick, deep = fingerprint(worker_a), fingerprint(worker_a, deep=True)
    run = CaseRun.start(worker_a, INCIDENT)
    deliver(run, "contact_received", CONTACT)
    [review] = [t for t in run.ready_tasks() if t.info.element_id == "review_incoming_contact"]
    run.complete(review.id, {"classification": ["same_matter_no_new_info"], "is_breach": False})
    CaseRun.load(worker_a, run.dump())

    assert fingerprint(worker_a) == quick
    assert fingerprint(worker_a, deep=True) == deep


def test_a_case_started_after_a_message_elsewhere_does_not_wait_for_it(worker_a):
    first = CaseRun.start(worker_a, INCIDENT)
    deliver(first, "contact_received", CONTACT)

    later = CaseRun.start(worker_a, INCIDENT)

    assert [w.name for w in later.waiting()] == [ANY_STAGE]
    assert ready(later) == ["manager_review"]


def test_a_state_saved_from_a_changed_spec_is_repaired_on_load(worker_a, worker_b):
    """Before the fix, cases started after a message in that worker carried a waiting event sub-process."""
    spec = worker_a.spec
    for name in spec.start.trigger_specs:  # what trigger_wf did to a worker's shared spec
        spec.start._outputs.append(name)
    corrupted = CaseRun.start(worker_a, INCIDENT)
    assert {w.name for w in corrupted.waiting()} >= {"contact_received"}

    repaired = CaseRun.load(worker_b, corrupted.dump())

    assert [w.name for w in repaired.waiting()] == [ANY_STAGE]
    assert ready(repaired) == ["manager_review"]
    again = CaseRun.load(worker_b, repaired.dump())
    assert [w.name for w in again.waiting()] == [ANY_STAGE] and ready(again) == ["manager_review"]


def test_an_event_subprocess_a_message_already_started_is_kept_on_repair(worker_a, worker_b):
    spec = worker_a.spec
    for name in spec.start.trigger_specs:
        spec.start._outputs.append(name)
    corrupted = CaseRun.start(worker_a, INCIDENT)
    deliver(corrupted, "contact_received", CONTACT)
    assert "review_incoming_contact" in ready(corrupted)

    repaired = CaseRun.load(worker_b, corrupted.dump())

    assert "review_incoming_contact" in ready(repaired)
