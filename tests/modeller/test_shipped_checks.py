"""The shipped diagrams pass every deploy check, and the issue #22 walk-through ends refused and named.

The walk-through: a process owner sets the manager-review task's form to
"(none)" and deploys. It used to go live; the next line manager's completion
failed with "Error evaluating expression 'decision == ...'". Now the deploy is
refused over the API and in the modeller, naming the task, the gateway and the
field the gateway reads.
"""
from __future__ import annotations

import io
import re
import types

import pytest

from helpers import CHECKOUT, ApiClient, released, shipped_app
from modeller_support import PageClient
from service.domain.core.forms import FormStore
from service.domain.definitions import versions as definitions
from service.domain.definitions.versions import DeployRefused
from service.extensions import db
from service.models import ProcessVersion

WORKFLOWS = CHECKOUT / "workflows"
SHIPPED = {p.name: p.read_bytes() for p in sorted(WORKFLOWS.glob("*.bpmn"))}
MANAGER_FORM = '<spiffworkflow:property name="formJsonSchemaFilename" value="manager_review.schema.json" />'
BROKEN = SHIPPED["contact_management.bpmn"].decode().replace(MANAGER_FORM, "")


def shipped_ctx():
    return types.SimpleNamespace(forms=FormStore(CHECKOUT / "forms"))


def problems(files: dict[str, bytes]) -> list:
    try:
        definitions.validate_files(shipped_ctx(), files)
    except DeployRefused as refused:
        return refused.problems
    return []


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_each_shipped_diagram_passes_every_check(name):
    found = problems(SHIPPED)
    assert [p for p in found if p.file in (name, None)] == [], found
    assert found == []


def mutated(name: str, pattern: str, replacement: str) -> dict[str, bytes]:
    text = SHIPPED[name].decode()
    changed = re.sub(pattern, replacement, text)
    assert changed != text, pattern
    return {**SHIPPED, name: changed.encode()}


def test_names_an_event_subprocess_reads_are_checked_from_its_own_flow():
    """The contact event sub-process's gateways read the classification its own form sets."""
    found = problems(mutated("contact_management.bpmn", r'value="review_incoming_contact.schema.json"', 'value=""'))
    named = {p.element_id: p.message for p in found}
    assert "'classification'" in named["contact_police_matter"] and "'is_breach'" in named["breach_found"]


def test_a_called_process_reads_what_its_callers_set():
    """The strategy's review timer waits for next_review_at, which the notice task schedules before the call."""
    found = problems(mutated("contact_management.bpmn", r'<spiffworkflow:property name="schedulesReview" '
                                                        r'value="[a-z_]+" />', ""))
    assert [(p.element_id, "'next_review_at'" in p.message) for p in found] == [("review_due", True)]


def test_a_script_set_flag_missing_on_one_path_is_found():
    found = problems(mutated("contact_management.bpmn", r"warning_issued = False", "no_warning = True"))
    assert [p.element_id for p in found] == ["declined_gateway"] and "'warning_issued'" in found[0].message


def _walk_through_named(fields_or_problems) -> None:
    text = str(fields_or_problems)
    assert "manager_review" in text and "manager_decision" in text and "'decision'" in text


@pytest.fixture
def shipped(tmp_path):
    with released(shipped_app(tmp_path)) as app:
        yield app


def test_walk_through_refused_over_the_api(shipped):
    owner = ApiClient(shipped.test_client(), "process_owner")
    answer = owner.post("/api/v1/process-definitions", content_type="multipart/form-data", data={
        "file": (io.BytesIO(BROKEN.encode()), "contact_management.bpmn"), "note": "manager form off"})
    body = answer.get_json()
    assert answer.status_code == 422, body
    assert "has no form" in " ".join(body["fields"]["manager_review"])
    assert "'decision'" in " ".join(body["fields"]["manager_decision"])
    _walk_through_named(body["fields"])
    assert db.session.query(ProcessVersion).count() == 1


def test_walk_through_refused_by_the_modeller_check_and_deploy(shipped):
    pages = PageClient(shipped.test_client(), "process_owner")
    checked = pages.json("/modeller/validate", {"filename": "contact_management.bpmn", "xml": BROKEN}).get_json()
    assert checked["ok"] is False
    assert {p["element_id"] for p in checked["problems"]} == {"manager_review", "manager_decision"}
    _walk_through_named(checked["problems"])
    deployed = pages.json("/modeller/deploy", {"filename": "contact_management.bpmn", "xml": BROKEN,
                                               "note": "manager form off", "confirm": True})
    assert deployed.status_code == 422
    _walk_through_named(deployed.get_json()["problems"])
    assert db.session.query(ProcessVersion).count() == 1
