"""The process explorer's tools: form data drawn from the forms' own schemas, and the invariants
checked after every step (test_explorer.py holds the state machine that uses them)."""
from __future__ import annotations

import copy
import json
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from sqlalchemy import func, select

from helpers import CHECKOUT
from service.domain.casework.case_rows import waits_of
from service.domain.casework.persistence import STAGES
from service.domain.core.form_rules import POLICE_ALWAYS
from service.domain.correspondence.letter_pdf import render_pdf
from service.engine import CaseRun, clock
from service.extensions import db
from service.models import (
    AuditEvent,
    Case,
    EngineIncident,
    Letter,
    MessageWait,
    StageVisit,
    TaskRecord,
    TimerFailure,
    TimerRecord,
)
from service.services import context

FORMS = CHECKOUT / "forms"
STATUSES = {"active", "suspended", "closed", "terminated"}
# Every save of a case bumps its version once; each save has exactly one of these on the record.
CHANGES = {"case_started", "task_completed", "message_received", "timer_fired", "case_suspended", "case_resumed",
           "case_terminated"}
# Engine text and object reprs that must never reach a person.
TEXT_CAP = 24  # characters of drawn free text
ENGINE_TEXT = ("<SpiffWorkflow", "SpiffWorkflow", " object at 0x", "Traceback", "WorkflowException",
               "TaskState", "BpmnEvent", "NoneType", "KeyError", "AttributeError", "UndefinedError")


# -- drawing form data ------------------------------------------------------
def _past_dates():
    """``notInFuture`` dates: today (as the service's clock sees it) or up to ten years before."""
    return st.integers(0, 3650).map(lambda days: (clock.now().date() - timedelta(days=days)).isoformat())


def _shortened(node) -> None:
    """Cap free text and lists: every drawn character is a choice in Hypothesis's buffer, and a full
    buffer ends an example after a few steps, long before a case gets deep into the process."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"enum", "const", "format"} & node.keys():
            node["maxLength"] = min(node.get("maxLength", TEXT_CAP), TEXT_CAP)
        if node.get("type") == "array" and isinstance(node.get("items"), dict) and "enum" not in node["items"]:
            node["maxItems"] = min(node.get("maxItems", 3), 3)
        for value in node.values():
            _shortened(value)
    elif isinstance(node, list):
        for value in node:
            _shortened(value)


def _adjusted(schema: dict, police_required: bool) -> list[dict]:
    """The schema as variants the generator can draw without rejecting: Boundary's own keywords turned
    into standard ones, and the conditions on ``call_ended`` and ``report_to_police`` resolved per variant
    (drawn through ``if``/``then`` they are filters, and a filter that keeps failing aborts the example)."""
    schema = copy.deepcopy(schema)
    _shortened(schema)
    props = schema.get("properties", {})
    for field in props.values():
        if field.get("notInFuture"):
            field["format"] = "past-date"
    conditions = schema.get("allOf", [])
    if police_required and "police_report_required" in schema.get("x-rules", []):
        props["report_to_police"] = {"const": True}
        props["police_reference"] = {**props["police_reference"], "minLength": 1}
        schema["required"] = schema["required"] + ["police_reference"]
        schema["allOf"] = [c for c in conditions if "report_to_police" not in json.dumps(c.get("if", {}))]
    if "call_ended" not in props:
        return [schema]
    schema["allOf"] = [c for c in conditions if "call_ended" not in json.dumps(c.get("if", {}))]
    not_asked = copy.deepcopy(schema)
    del not_asked["properties"]["call_ended"]
    ended, kept_on = copy.deepcopy(schema), copy.deepcopy(schema)
    for variant, value in ((ended, True), (kept_on, False)):
        variant["properties"].update(call_ended={"const": value}, channel={"const": "telephone"})
        variant["required"] = variant["required"] + ["call_ended"]
    ended["properties"]["call_end_note"] = {**ended["properties"]["call_end_note"], "minLength": 1}
    ended["required"].append("call_end_note")
    return [not_asked, ended, kept_on]


# Answers that move a case on are drawn more often than a uniform draw would: with no further action and
# signposting both closing at the manager's review, and equality advice before authorisation, most walks
# ended before a strategy was in force.
# The same for the strategy's two approvals, each of which otherwise sends most proposals back.
MOVING_ON = {"manager_review.schema.json": {"behaviour_unacceptable": {"const": True},
                                            "decision": {"enum": ["address_behaviour", "contact_strategy_now"]}},
             "consult_irm.schema.json": {"decision": {"const": "endorse"}},
             "authorise_contact_strategy.schema.json": {
                 "decision": {"const": "approve"},
                 **{k: {"const": True} for k in ("matter_properly_considered", "communication_adequate",
                                                 "access_requirements_considered", "misunderstandings_addressed",
                                                 "fair_reasonable_proportionate")}}}


@cache
def _strategy(name: str, police_required: bool):
    schema = json.loads((FORMS / name).read_text())
    variants = _adjusted(schema, police_required)
    if name in MOVING_ON:
        moving = copy.deepcopy(variants[0])
        moving["properties"].update(MOVING_ON[name])
        moving.pop("allOf", None)  # its conditions are about the answers this variant leaves out
        variants.append(moving)
    # No NUL: the API refuses it in any text before a form sees it (PostgreSQL cannot store it).
    return st.one_of(*[from_schema(variant, custom_formats={"past-date": _past_dates()}, allow_x00=False)
                       for variant in variants])


def form_data(name: str, case_data: dict | None = None):
    """A strategy for valid answers to form ``name`` (a path under forms/), for a case with ``case_data``."""
    police = bool(POLICE_ALWAYS.intersection((case_data or {}).get("behaviour_types") or ()))
    return _strategy(name, police)


def form_fields(name: str) -> set[str]:
    return set(json.loads((FORMS / name).read_text()).get("properties", {}))


# -- what a person may be told ----------------------------------------------
def check_answer(response) -> None:
    """No 5xx, and no engine text or object repr in any answer."""
    assert response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:2000])
    text = response.get_data(as_text=True)
    leaked = [t for t in ENGINE_TEXT if t in text]
    assert not leaked, f"engine text {leaked} reached a user: {text[:2000]}"


def check_refusal(body: dict, fields: set[str], prefixes: tuple[str, ...] = ("",)) -> None:
    """A 422 for schema-valid input must name a form field and say what to change in plain words."""
    named = body.get("fields") or {}
    assert named, f"a refusal that names no field: {body}"
    for key, messages in named.items():
        top = key
        for prefix in prefixes:
            if prefix and key.startswith(prefix):
                top = key[len(prefix):]
        assert top.split(".")[0] in fields, f"refusal names {key!r}, not a field of the form: {body}"
        for message in messages:
            assert_plain(message)
    assert_plain(body.get("message", ""))


def assert_plain(message: str) -> None:
    assert message and not any(t in message for t in ENGINE_TEXT), f"not plain words: {message!r}"
    assert not re.search(r"\{'|'\}|\[\]|\bNone\b|is not valid under|at [a-z_]+$", message), \
        f"not plain words: {message!r}"


# -- the engine and the rows ------------------------------------------------
def check_case(case_id: int) -> None:
    """Every invariant of one case, read from the database and its engine state."""
    case = db.session.get(Case, case_id)
    db.session.refresh(case)
    assert case.status in STATUSES, case.status
    assert case.stage in STAGES, f"case {case_id}: unknown stage {case.stage}"
    ready = set(db.session.scalars(select(TaskRecord.id).where(TaskRecord.case_id == case_id,
                                                               TaskRecord.status == "ready")))
    timers = sorted((t.name, t.due_at) for t in db.session.scalars(select(TimerRecord)
                                                                   .where(TimerRecord.case_id == case_id)))
    messages = sorted(db.session.scalars(select(MessageWait.name).where(MessageWait.case_id == case_id)))
    if case.status == "terminated":
        assert not (ready or timers or messages), f"terminated case {case_id} still has rows"
    else:
        run = CaseRun.load(context().bundles.get(case.process_version), case.state)
        engine_timers, engine_messages = waits_of(run)
        assert ready == {t.id for t in run.ready_tasks()}, f"case {case_id}: ready rows differ from the engine"
        assert timers == sorted(engine_timers), f"case {case_id}: timer rows {timers} != engine {engine_timers}"
        assert messages == sorted(engine_messages), f"case {case_id}: message rows {messages} != {engine_messages}"
        assert (case.status == "closed") == run.finished, f"case {case_id}: {case.status}, finished={run.finished}"
    if case.status == "active":
        assert ready or timers or messages, f"case {case_id} is stuck at {case.stage}: no task, timer or message"
    incidents = list(db.session.scalars(select(EngineIncident.error).where(EngineIncident.case_id == case_id)))
    assert not incidents, f"case {case_id}: the engine failed on valid input: {incidents}"
    assert db.session.get(TimerFailure, case_id) is None, \
        f"case {case_id}: a timer failed: {db.session.get(TimerFailure, case_id).last_error}"
    _check_record(case)


def _check_record(case: Case) -> None:
    """Each save has its audit event; the stage history ends at the case's stage; each letter is on record."""
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)))
    changes = sum(1 for a in actions if a in CHANGES)
    assert case.version - 1 == changes, f"case {case.id}: {case.version - 1} saves but {changes} audit events: {actions}"
    open_visits = list(db.session.scalars(select(StageVisit.stage).where(StageVisit.case_id == case.id,
                                                                          StageVisit.left_at.is_(None))))
    assert open_visits == [case.stage], f"case {case.id}: stage {case.stage} but open visits {open_visits}"
    letters = db.session.scalar(select(func.count(Letter.id)).where(Letter.case_id == case.id))
    assert letters == actions.count("letter_produced"), f"case {case.id}: letters without their audit event"
    issued = db.session.scalar(select(func.count(Letter.id)).where(Letter.case_id == case.id,
                                                                     Letter.status == "issued"))
    assert issued == actions.count("letter_issued"), f"case {case.id}: issued letters without their audit event"


def letter_ids(case_id: int) -> set[int]:
    return set(db.session.scalars(select(Letter.id).where(Letter.case_id == case_id)))


def check_letter_renders(letter_id: int) -> None:
    """A drafted letter's HTML is whole and its PDF renders."""
    letter = db.session.get(Letter, letter_id)
    assert "</html>" in letter.html and "Yours sincerely" in letter.html, letter.html[-500:]
    assert render_pdf(letter.html).startswith(b"%PDF")


def draft_letters(case_ids: list[int]) -> list[tuple[int, int]]:
    return [(c, i) for c, i in db.session.execute(select(Letter.case_id, Letter.id).where(
        Letter.case_id.in_(case_ids), Letter.status == "draft").order_by(Letter.id))]


def letter_of(properties: dict, data: dict) -> str | None:
    """The letter a task with these diagram properties drafts for this answer (see domain/letters.py)."""
    condition = properties.get("letterWhen")
    return properties.get("letter") if not condition or data.get(condition) else None


def element_properties(case_id: int, element_id: str) -> dict:
    case = db.session.get(Case, case_id)
    return context().bundles.get(case.process_version).elements[element_id].properties


def shipped_forms() -> list[Path]:
    return sorted(FORMS.rglob("*.schema.json"))
