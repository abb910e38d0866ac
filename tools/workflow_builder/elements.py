"""The vocabulary process descriptions are written in: lanes by role, and one helper per
kind of element, each placing it on the grid (lane, column, row) and setting Boundary's
properties (see docs/architecture.md, "Diagram conventions").
"""
from __future__ import annotations

from .model import Node, Proc, Sub

CO, LM, IRM, AO, EA, BSL, DPO, CE = ("case_officer", "line_manager", "irm", "authorising", "equality",
                                     "business_support", "dpo", "chief_executive")
LANE_TITLES = {CO: "Case Officer", LM: "Line Manager", IRM: "Independent Review Manager",
               AO: "Authorising Officer", EA: "Equality and Diversity Adviser",
               BSL: "Business Support Team Leader", DPO: "Data Protection Officer", CE: "Chief Executive"}
CLOSED = {"stage": "closed"}


def lanes(pid: str, *spec: tuple[str, int]) -> list[tuple[str, str, int]]:
    return [(f"lane_{pid}_{key}", LANE_TITLES[key], rows) for key, rows in spec]


def user_task(proc: Proc, id: str, name: str, lane: str, col: float, docs: str, row: int = 0, sub: Sub | None = None,
              stage: str | None = None, letter: str | None = None, due: str | None = None, **extra: str) -> Node:
    props = {"formJsonSchemaFilename": f"{id}.schema.json"}
    if stage:
        props["stage"] = stage
    if letter:
        props["letter"] = letter
    if due:
        props["dueIn"] = due
    props.update(extra)
    return proc.add("userTask", id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, props=props, docs=docs)


def event(proc: Proc, tag: str, id: str, name: str, lane: str, col: float, row: int = 0, sub: Sub | None = None,
          inner: str = "", props: dict[str, str] | None = None, attrs: str = "") -> Node:
    return proc.add(tag, id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, inner=inner, props=props or {},
                    attrs=attrs)


def gateway(proc: Proc, tag: str, id: str, name: str, lane: str, col: float, row: int = 0, sub: Sub | None = None,
            props: dict[str, str] | None = None) -> Node:
    return proc.add(tag, id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, props=props or {})


def call(proc: Proc, id: str, name: str, lane: str, col: float, called: str, row: int = 0, sub: Sub | None = None,
         props: dict[str, str] | None = None) -> Node:
    return proc.add("callActivity", id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub, props=props or {},
                    attrs=f' calledElement="{called}"')


def timer(expression: str, kind: str = "timeDuration") -> str:
    return f"<bpmn:timerEventDefinition><bpmn:{kind}>{expression}</bpmn:{kind}></bpmn:timerEventDefinition>"


def script(proc: Proc, id: str, name: str, lane: str, col: float, code: str, row: int = 0,
           sub: Sub | None = None) -> Node:
    return proc.add("scriptTask", id, name, f"lane_{proc.pid}_{lane}", col, row, sub=sub,
                    inner=f"<bpmn:script>{code}</bpmn:script>")


def message_def(proc: Proc, name: str, variable: str) -> str:
    return f'<bpmn:messageEventDefinition messageRef="{proc.message(name, variable)}" />'


def signal_def(proc: Proc, name: str) -> str:
    proc.signals.add(name)
    return f'<bpmn:signalEventDefinition signalRef="sig_{name}" />'
