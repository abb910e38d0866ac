"""Check that regenerated diagrams changed only their drawing: ``workflows/*.bpmn`` against the
same files at a git ref, with the diagram interchange (``BPMNDiagram``) left out.

    .venv/bin/python tools/workflow_builder/same_semantics.py main

Element ids, flows, conditions and properties must be identical (canonical XML); the drawing
must still cover the same elements. Exit status 1 names the files that differ.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

DI = "http://www.omg.org/spec/BPMN/20100524/DI"
WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def semantics(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for diagram in root.findall(f"{{{DI}}}BPMNDiagram"):
        root.remove(diagram)
    return etree.tostring(root, method="c14n")


def drawn(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return sorted(e.get("bpmnElement") or "" for e in root.iter(f"{{{DI}}}BPMNShape", f"{{{DI}}}BPMNEdge"))


def main(ref: str) -> int:
    differ = []
    for path in sorted(WORKFLOWS.glob("*.bpmn")):
        shown = subprocess.run(["git", "show", f"{ref}:workflows/{path.name}"], capture_output=True, check=False)
        if shown.returncode:
            print(f"{path.name}: new (not at {ref})")
            continue
        new = path.read_bytes()
        same = semantics(shown.stdout) == semantics(new) and drawn(shown.stdout) == drawn(new)
        print(f"{path.name}: {'only the drawing changed' if same else 'SEMANTICS DIFFER'}")
        if not same:
            differ.append(path.name)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "main"))
