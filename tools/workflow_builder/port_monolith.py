"""One-off merge aid: port a monolithic ``tools/build_workflows.py`` (its shape before the
split into this package) into ``processes/``, one module per process.

Another branch edited process content in the old single file while it was split. To merge:
    git show <branch>:tools/build_workflows.py > /tmp/old_build.py
    .venv/bin/python tools/workflow_builder/port_monolith.py /tmp/old_build.py
    .venv/bin/python tools/build_workflows.py
The old file's helpers (lanes, user_task, ...) are the ones in ``elements``; each process
function becomes ``processes/<process id>.py`` with ``build()``; module constants a process
uses (police conditions, property values) go to ``processes/shared.py``. Delete this file once
no branch has the old shape.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

HELPERS = {"lanes", "user_task", "event", "gateway", "call", "timer", "script", "message_def", "signal_def", "main"}
ELEMENTS = ["CO", "LM", "IRM", "AO", "EA", "BSL", "DPO", "CE", "CLOSED", "lanes", "user_task", "event", "gateway",
            "call", "timer", "script", "message_def", "signal_def"]
NOT_SHARED = {"CLOSED", "OUT", "LANE_TITLES"}


def port(source: str, out: Path) -> list[str]:
    tree = ast.parse(source)
    lines = source.split("\n")

    def text(node: ast.stmt) -> str:  # with the comment lines just above it
        start = node.lineno - 1
        while start > 0 and lines[start - 1].startswith("#"):
            start -= 1
        return "\n".join(lines[start:node.end_lineno])

    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    shared = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name not in HELPERS
              and not re.search(r'Proc\("', text(n))]
    shared += [n for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
               and n.targets[0].id not in NOT_SHARED]
    shared.sort(key=lambda n: n.lineno)
    shared_names = [n.name if isinstance(n, ast.FunctionDef) else n.targets[0].id for n in shared]  # type: ignore[union-attr]
    shared_text = "\n\n\n".join(text(n) for n in shared)
    (out / "shared.py").write_text('"""Conditions and property values more than one process uses."""\n'
                                   "from __future__ import annotations\n\n\n" + shared_text + "\n")
    order = re.findall(r"for build in \(([^)]*)\)", text(funcs["main"]), re.S)[0]
    order_names = [name.strip() for name in order.replace("\n", " ").split(",") if name.strip()]
    pids = {}
    for name in order_names:
        body = text(funcs[name]).replace(f"def {name}()", "def build()")
        pid = re.search(r'Proc\("([a-z_]+)"', body).group(1)  # type: ignore[union-attr]
        pids[name] = pid
        used = [n for n in ELEMENTS if re.search(rf"\b{n}\b", body)]
        imports = ", ".join(sorted(u for u in used if u.isupper()) + sorted(u for u in used if not u.isupper()))
        from_shared = [n for n in shared_names if re.search(rf"\b{n}\b", body)]
        head = (f'"""The {pid.replace("_", " ")} process."""\nfrom __future__ import annotations\n\n'
                + ("from collections.abc import Callable\n\n" if "Callable" in body else "")
                + f"from ..elements import {imports}\nfrom ..model import Proc{', Sub' if 'Sub' in body else ''}\n"
                + (f"from .shared import {', '.join(sorted(from_shared))}\n" if from_shared else "") + "\n\n")
        (out / f"{pid}.py").write_text(head + body + "\n")
    (out / "__init__.py").write_text(
        '"""One module per shipped process; each has ``build() -> Proc``. ``ALL`` is the order they are written in."""\n'
        "from __future__ import annotations\n\nfrom collections.abc import Callable\n\nfrom ..model import Proc\n"
        f"from . import {', '.join(sorted(pids.values()))}  # noqa: F401\n\n"
        "ALL: list[Callable[[], Proc]] = [\n    " + ", ".join(f"{pid}.build" for pid in pids.values()) + ",\n]\n")
    return list(pids.values())


if __name__ == "__main__":
    here = Path(__file__).resolve().parent / "processes"
    for old in here.glob("*.py"):
        old.unlink()
    print("ported", ", ".join(port(Path(sys.argv[1]).read_text(), here)))
