"""A copy of the fixture diagram whose diagram code spins or grows on demand (issue #19, item 2).

The approval gateway's "approve" condition does its ordinary check, then, for
a case recorded with the behaviour ``threats``, computes ``10**10**10`` and,
for ``violence``, a billion-step comprehension. The timer path runs a script
that spins for ever for a case recorded with ``verbal_abuse``. Cases recorded
without those behaviours run as the plain fixture does.
"""
from __future__ import annotations

from pathlib import Path

from helpers import FIXTURES

POWER = '("threats" not in behaviour_types or 10**10**10 == 1)'
SPIN = '("violence" not in behaviour_types or len([a for a in range(999) for b in range(999) for c in range(999)]) == 0)'
SCRIPT = 'if "verbal_abuse" in behaviour_types:\n    while True:\n        pass'


def budget_workflows(folder: Path) -> Path:
    """Write the trapped diagram into ``folder`` and return it (a workflows directory)."""
    text = (FIXTURES / "workflows" / "simple.bpmn").read_text()
    text = text.replace('<bpmn:conditionExpression>decision == "approve"</bpmn:conditionExpression>',
                        f'<bpmn:conditionExpression>decision == "approve" and {POWER} and {SPIN}'
                        '</bpmn:conditionExpression>')
    text = text.replace('<bpmn:sequenceFlow id="f_t" sourceRef="timed_out" targetRef="follow_up" />',
                        '<bpmn:sequenceFlow id="f_t" sourceRef="timed_out" targetRef="after_wait" />'
                        '<bpmn:scriptTask id="after_wait" name="After the wait"><bpmn:incoming>f_t</bpmn:incoming>'
                        '<bpmn:outgoing>f_t2</bpmn:outgoing>'
                        f'<bpmn:script>{SCRIPT}</bpmn:script></bpmn:scriptTask>'
                        '<bpmn:sequenceFlow id="f_t2" sourceRef="after_wait" targetRef="follow_up" />')
    text = text.replace('<bpmn:incoming>f_n</bpmn:incoming><bpmn:incoming>f_t</bpmn:incoming>',
                        '<bpmn:incoming>f_n</bpmn:incoming><bpmn:incoming>f_t2</bpmn:incoming>')
    text = text.replace('<bpmn:flowNodeRef>follow_up</bpmn:flowNodeRef>',
                        '<bpmn:flowNodeRef>follow_up</bpmn:flowNodeRef><bpmn:flowNodeRef>after_wait</bpmn:flowNodeRef>')
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "simple.bpmn").write_text(text)
    return folder
