"""Saving a form refuses to remove a field a current diagram reads, naming the field and the
element that reads it (issue #22): the engine would otherwise fail there on the next case."""
from __future__ import annotations

import json

import pytest

from helpers import CHECKOUT
from service.domain.core.forms import FormStore
from service.domain.definitions import modeller
from service.domain.definitions.form_reads import names_read, reads_in_file
from service.errors import InvalidInput

APPROVE = "fixture_approve.schema.json"


def _without(forms_dir, name: str, field: str) -> str:
    schema = json.loads((forms_dir / name).read_text())
    del schema["properties"][field]
    schema["required"] = [r for r in schema.get("required", []) if r != field]
    schema.pop("allOf", None)
    return json.dumps(schema)


def test_removing_a_field_a_gateway_reads_is_refused_naming_field_and_gateway(ctx, owner, forms_dir):
    before = (forms_dir / APPROVE).read_text()
    with pytest.raises(InvalidInput) as refused:
        modeller.save_form(ctx, owner, APPROVE, _without(forms_dir, APPROVE, "decision"))
    message = refused.value.message
    assert "decision" in message and "Approved? (decide)" in message and "fixture_process v1" in message
    assert refused.value.fields["schema"] == [message.removeprefix("The form was not saved: ")]
    assert (forms_dir / APPROVE).read_text() == before


def test_removing_the_field_a_timer_reads_from_the_start_form_is_refused(ctx, owner, forms_dir):
    with pytest.raises(InvalidInput) as refused:
        modeller.save_form(ctx, owner, "fixture_start.schema.json",
                           _without(forms_dir, "fixture_start.schema.json", "wait_period"))
    assert "wait_period" in refused.value.message and "Wait period (timed_out)" in refused.value.message


def test_removing_a_field_nothing_reads_saves(ctx, owner, forms_dir):
    schema = modeller.save_form(ctx, owner, "fixture_start.schema.json",
                                _without(forms_dir, "fixture_start.schema.json", "behaviour_types"))
    assert "behaviour_types" not in schema["properties"]


def test_a_read_after_another_task_asks_again_is_not_blamed_on_the_earlier_form():
    """In the shipped process ``decision`` comes from the manager review, then the IRM's
    consultation asks again before its own gateway reads it."""
    forms = FormStore(CHECKOUT / "forms")
    xml = (CHECKOUT / "workflows" / "contact_management.bpmn").read_bytes()
    reads = reads_in_file(xml, "manager_review.schema.json", {"decision"}, "Contact management v1", forms)
    assert {read.element_id for read in reads} == {"manager_decision"}
    reads = reads_in_file(xml, "consult_irm.schema.json", {"decision"}, "Contact management v1", forms)
    assert {read.element_id for read in reads} == {"irm_decision"}


def test_a_message_payload_field_is_read_through_its_variable():
    forms = FormStore(CHECKOUT / "forms")
    xml = (CHECKOUT / "workflows" / "contact_management.bpmn").read_bytes()
    reads = reads_in_file(xml, "messages/further_incident.schema.json", {"behaviour_types"}, "v1", forms)
    assert {read.element_id for read in reads} >= {"further_incident_serious"}


def test_names_read_sees_names_and_payload_keys_not_assignments():
    assert names_read('police_concern = further_incident["behaviour_types"]') == {
        "further_incident", ("further_incident", "behaviour_types")}
    assert names_read('"no" in [a, b] and not c') == {"a", "b", "c"}
