"""Generate the shipped escalation diagrams in workflows/ from readable descriptions.

Run ``.venv/bin/python tools/build_workflows.py``; the output is committed. The
process follows shared/process-spec.md: element ids, lanes (role titles),
forms, stages and letters are the contract (docs/policy-map.md). Each process's
content is in ``tools/workflow_builder/processes/<process>.py``; the drawing in
``tools/workflow_builder/layout.py``. Each diagram's crossings (``metrics``) are printed;
tests/modeller/test_shipped_layout.py keeps them near zero.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from workflow_builder.metrics import of_process
from workflow_builder.processes import ALL
from workflow_builder.xml_writer import document

OUT = Path(__file__).resolve().parent.parent / "workflows"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for build in ALL:
        proc = build()
        (OUT / f"{proc.pid}.bpmn").write_text(document(f"{proc.pid}_definitions", [proc]))
        print("wrote", OUT / f"{proc.pid}.bpmn", "-", of_process(proc))


if __name__ == "__main__":
    main()
