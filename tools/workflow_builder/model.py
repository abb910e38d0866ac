"""What a diagram description builds: a process with lanes, nodes, sub-processes and flows.

Nothing here knows about coordinates beyond the grid position a description gives
(column, and row within a lane); ``layout`` turns those into drawing positions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Flow = tuple[str, str, str, "str | None", str]  # id, source, target, condition, name


@dataclass
class Node:
    id: str
    tag: str
    name: str
    lane: str
    col: float
    row: int = 0
    props: dict[str, str] = field(default_factory=dict)
    docs: str = ""
    inner: str = ""      # extra XML inside the element (event definitions, called element...)
    attrs: str = ""
    parent: Sub | None = None


@dataclass
class Sub:
    """An expanded sub-process (event sub-process or loop) drawn as a box around its nodes."""

    id: str
    name: str
    lane: str
    col: float
    width: int
    row: int = 0
    attrs: str = ""
    inner: str = ""
    nodes: list[Node] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    props: dict[str, str] = field(default_factory=dict)
    rows: int = 2


class Proc:
    def __init__(self, pid: str, name: str, lanes: list[tuple[str, str, int]]) -> None:
        """``lanes``: (lane id, lane name = role title, rows)."""
        self.pid, self.name, self.lanes = pid, name, lanes
        self.nodes: list[Node] = []
        self.flows: list[Flow] = []
        self.subs: list[Sub] = []
        self.messages: dict[str, str] = {}
        self.signals: set[str] = set()

    def all_nodes(self) -> list[Node]:
        return self.nodes + [n for s in self.subs for n in s.nodes]

    def all_flows(self) -> list[Flow]:
        return self.flows + [f for s in self.subs for f in s.flows]

    def add(self, tag: str, id: str, name: str, lane: str, col: float, row: int = 0, sub: Sub | None = None,
            **kw: object) -> Node:
        node = Node(id, tag, name, lane, col, row, parent=sub, **kw)  # type: ignore[arg-type]
        (sub.nodes if sub else self.nodes).append(node)
        return node

    def flow(self, source: str, target: str, condition: str | None = None, name: str = "", sub: Sub | None = None,
             fid: str | None = None) -> None:
        fid = fid or f"flow_{source}_{target}"
        (sub.flows if sub else self.flows).append((fid, source, target, condition, name))

    def sub(self, id: str, name: str, lane: str, col: float, width: int, row: int = 0, attrs: str = "",
            inner: str = "", **props: str) -> Sub:
        sub = Sub(id, name, lane, col, width, row, attrs, inner, props=props)
        self.subs.append(sub)
        return sub

    def message(self, name: str, variable: str) -> str:
        self.messages[name] = variable
        return f"msg_{name}"
