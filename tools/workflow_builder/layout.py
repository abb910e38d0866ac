"""Where each shape and edge of a process is drawn, written as BPMN diagram interchange (DI).

A description places every element on a grid: a column (its step, left to right) and a
row within its lane. The layout decides the rest so people can follow the work:
- lane order: the order that makes the fewest edges pass through lanes they neither leave
  nor enter, ties going to the order in which the work first reaches each lane;
- each lane's rows may be drawn upside down (a lane holding event sub-processes below its
  main path can put them above, so the main path sits next to the lane it hands work to);
- each edge takes the route (elbow near its source, midway or near its target; backwards
  edges under or over the shapes) that passes through the fewest other shapes and lanes.
``metrics`` measures what is left; the generator prints it.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from .model import Node, Proc, Sub

COL_W, LANE_H, X0, Y0 = 150, 160, 190, 40
GAP = 22  # how far a route runs beside the shapes it passes
SIZES = {"task": (110, 80), "event": (36, 36), "gateway": (50, 50), "call": (110, 80)}
TAGS = {
    "userTask": "task", "startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event",
    "intermediateThrowEvent": "event", "exclusiveGateway": "gateway", "parallelGateway": "gateway",
    "eventBasedGateway": "gateway", "callActivity": "call", "scriptTask": "task", "boundaryEvent": "event",
}
Box = tuple[float, float, float, float]
Point = tuple[float, float]


@dataclass(frozen=True)
class Plan:
    """The choices a layout makes: lane ids top to bottom, and the lanes drawn upside down."""

    order: tuple[str, ...]
    flipped: frozenset[str] = frozenset()


class Layout:
    def __init__(self, proc: Proc, plan: Plan) -> None:
        self.proc, self.plan = proc, plan
        self.place = event_subprocess_places(proc)
        self.rows = {lid: 1 for lid, _, _ in proc.lanes}
        for node in proc.nodes:
            self.rows[node.lane] = max(self.rows[node.lane], node.row + 1)
        for sub in proc.subs:
            self.rows[sub.lane] = max(self.rows[sub.lane], self.sub_place(sub)[1] + sub.rows)

    def sub_place(self, sub: Sub) -> tuple[float, int]:
        """Where a sub-process is drawn: column and row in its lane."""
        return self.place.get(sub.id, (sub.col, sub.row))

    @cached_property
    def bands(self) -> dict[str, tuple[float, float]]:
        """Each lane's top and bottom y."""
        out, y = {}, float(Y0)
        for lid in self.plan.order:
            out[lid] = (y, y + self.rows[lid] * LANE_H)
            y += self.rows[lid] * LANE_H
        return out

    def row_top(self, lane: str, row: int, span: int = 1) -> float:
        if lane in self.plan.flipped:
            row = self.rows[lane] - row - span
        return self.bands[lane][0] + row * LANE_H

    def width(self) -> float:
        cols = [box[0] + box[2] for box in self.boxes.values()]
        return max(cols) - X0 + 2 * COL_W

    def node_box(self, node: Node) -> Box:
        w, h = SIZES[TAGS[node.tag]]
        col = node.col
        if node.parent:
            sub_col, sub_row = self.sub_place(node.parent)
            col += sub_col - node.parent.col
            cy = self.row_top(node.lane, sub_row, node.parent.rows) + node.row * LANE_H + LANE_H / 2
        else:
            cy = self.row_top(node.lane, node.row) + LANE_H / 2
        cx = X0 + col * COL_W + COL_W / 2
        if node.tag == "boundaryEvent":  # drawn on the bottom edge of the activity it is attached to
            cy += SIZES["call"][1] / 2
        return cx - w / 2, cy - h / 2, w, h

    def sub_box(self, sub: Sub) -> Box:
        col, row = self.sub_place(sub)
        return X0 + col * COL_W + 8, self.row_top(sub.lane, row, sub.rows) + 6, sub_width(sub) * COL_W - 16, \
            sub.rows * LANE_H - 12

    @cached_property
    def boxes(self) -> dict[str, Box]:
        """Every sub-process's and node's box, by element id."""
        out = {sub.id: self.sub_box(sub) for sub in self.proc.subs}
        out.update({node.id: self.node_box(node) for node in self.proc.all_nodes()})
        return out

    @cached_property
    def edges(self) -> dict[str, list[Point]]:
        """Every sequence flow's waypoints, by flow id."""
        parent = {node.id: node.parent.id for node in self.proc.all_nodes() if node.parent}
        out = {}
        for fid, source, target, _, _ in self.proc.all_flows():
            ignore = {source, target, parent.get(source, ""), parent.get(target, "")}
            obstacles = [box for eid, box in self.boxes.items() if eid not in ignore]
            out[fid] = min(routes(self.boxes[source], self.boxes[target]),
                           key=lambda points: self.cost(points, obstacles))
        return out

    def cost(self, points: list[Point], obstacles: Iterable[Box]) -> float:
        """Shapes passed through weigh most, then lanes passed through, then length."""
        hits = sum(1 for box in obstacles for a, b in pairwise(points) if _through(a, b, box))
        length = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in pairwise(points))
        return hits * 100_000 + len(self.lanes_passed(points)) * 10_000 + length

    def lanes_passed(self, points: list[Point]) -> set[str]:
        """The lanes the route's vertical runs pass through."""
        passed = set()
        for (_, y1), (_, y2) in pairwise(points):
            low, high = min(y1, y2), max(y1, y2)
            for lane, (top, bottom) in self.bands.items():
                if low < bottom and high > top:
                    passed.add(lane)
        return passed


def event_subprocess_places(proc: Proc) -> dict[str, tuple[float, int]]:
    """Event sub-processes (work that can start at any time) drawn to the right of the main
    path, two abreast: below it they pushed every edge to a lane underneath through them,
    and one above another left the lane's left half empty and tall."""
    events = [sub for sub in proc.subs if "triggeredByEvent" in sub.attrs]
    others = [node.col for node in proc.nodes] + [sub.col + sub.width for sub in proc.subs if sub not in events]
    if not events:
        return {}
    base = max(others) + 1.5
    first_column = max(sub_width(sub) for sub in events[::2]) + 0.2
    places, row = {}, 0
    for i in range(0, len(events), 2):
        pair = events[i:i + 2]
        places.update({sub.id: (base + k * first_column, row) for k, sub in enumerate(pair)})
        row += max(sub.rows for sub in pair)
    return places


def sub_width(sub: Sub) -> float:
    """Columns a sub-process's box spans: up to its last node, and never wider than declared."""
    return min(float(sub.width), max((node.col for node in sub.nodes), default=sub.col) - sub.col + 1.3)


def routes(source: Box, target: Box) -> list[list[Point]]:
    """The orthogonal routes an edge may take from one box to another."""
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    scx, scy, tcx, tcy = sx + sw / 2, sy + sh / 2, tx + tw / 2, ty + th / 2
    if tx >= sx + sw:  # forward: right side out, left side in
        start, end = (sx + sw, scy), (tx, tcy)
        if abs(scy - tcy) <= 1:  # straight along the row, or round what stands in it
            low, high = max(sy + sh, ty + th) + GAP, min(sy, ty) - GAP
            return [[start, end], [(scx, sy + sh), (scx, low), (tcx, low), (tcx, ty + th)],
                    [(scx, sy), (scx, high), (tcx, high), (tcx, ty)]]
        elbows = {(start[0] + end[0]) / 2, start[0] + GAP, end[0] - GAP}
        out = [[start, (x, scy), (x, tcy), end] for x in sorted(elbows)]
        # or leave from the top or bottom and come in from the left
        out.append([(scx, sy if tcy < scy else sy + sh), (scx, tcy), end])
        # or run beside the target's row and come in from above or below
        side = ty - GAP if tcy > scy else ty + th + GAP
        out.append([start, (start[0] + GAP, scy), (start[0] + GAP, side), (tcx, side), (tcx, ty if tcy > scy else ty + th)])
        return out
    if abs(scx - tcx) < 1:  # straight down or up
        return [[(scx, sy + sh), (tcx, ty)] if tcy > scy else [(scx, sy), (tcx, ty + th)]]
    # backwards: under both shapes, or over both, or between them
    low, high = max(sy + sh, ty + th) + GAP, min(sy, ty) - GAP
    out = [[(scx, sy + sh), (scx, low), (tcx, low), (tcx, ty + th)],
           [(scx, sy), (scx, high), (tcx, high), (tcx, ty)]]
    if tcy < scy - 1:  # target above: up out of the source, along under the target
        out.append([(scx, sy), (scx, ty + th + GAP), (tcx, ty + th + GAP), (tcx, ty + th)])
    elif tcy > scy + 1:
        out.append([(scx, sy + sh), (scx, ty - GAP), (tcx, ty - GAP), (tcx, ty)])
    return out


def _through(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a-b passes through the inside of box."""
    x, y, w, h = box
    (x1, y1), (x2, y2) = a, b
    return min(x1, x2) < x + w and max(x1, x2) > x and min(y1, y2) < y + h and max(y1, y2) > y


def work_order(proc: Proc) -> list[str]:
    """Lane ids in the order the work first reaches them, by column."""
    first: dict[str, float] = {}
    for node in proc.all_nodes():
        first[node.lane] = min(first.get(node.lane, node.col), node.col)
    declared = [lid for lid, _, _ in proc.lanes]
    return sorted(declared, key=lambda lid: (first.get(lid, 1e9), declared.index(lid)))


def choose(proc: Proc) -> Layout:
    """The plan with the fewest lane crossings (then shape and edge crossings), nearest the work order.

    Lane orders are ranked first by a quick count (lanes between each cross-lane edge's ends),
    then the best few are laid out, with each tall lane either way up, and measured. Keeping
    the lane the work starts in on top regardless was tried: the case officer's lane hands
    work to every other, and on top it made several times the crossings of the middle.
    """
    from .metrics import measure  # metrics measures a Layout

    lane_of = {node.id: node.lane for node in proc.all_nodes()} | {sub.id: sub.lane for sub in proc.subs}
    pairs = [(lane_of[s], lane_of[t]) for _, s, t, _, _ in proc.all_flows() if lane_of[s] != lane_of[t]]
    natural = work_order(proc)
    tall = [lid for lid, rows in Layout(proc, Plan(tuple(natural))).rows.items() if rows > 1]

    def between(order: tuple[str, ...]) -> int:
        index = {lid: i for i, lid in enumerate(order)}
        return sum(abs(index[a] - index[b]) - 1 for a, b in pairs)

    def drift(order: tuple[str, ...]) -> int:
        return sum(abs(order.index(lid) - i) for i, lid in enumerate(natural))

    flips = [frozenset(f) for k in range(len(tall) + 1) for f in itertools.combinations(tall, k)]
    shortlist = sorted(itertools.permutations(natural), key=lambda order: (between(order), drift(order)))[:8]
    best: tuple[tuple[int, int, int, int], Layout] | None = None
    for rank, order in enumerate(shortlist):
        for flipped in flips:
            layout = Layout(proc, Plan(order, flipped))
            found = measure(layout)
            key = (found.lanes, found.shapes + found.edges, rank, len(flipped))
            if best is None or key < best[0]:
                best = (key, layout)
    assert best is not None
    return best[1]


def di(proc: Proc) -> list[str]:
    layout = choose(proc)
    out = []
    full_width = layout.width()
    height = sum(layout.rows.values()) * LANE_H
    out.append(_shape(f"participant_{proc.pid}", X0 - 60, Y0, full_width, height, horizontal=True))
    for lid, _, _ in proc.lanes:
        top, bottom = layout.bands[lid]
        out.append(_shape(lid, X0 - 30, top, full_width - 30, bottom - top, horizontal=True))
    for sub in proc.subs:
        out.append(_shape(sub.id, *layout.sub_box(sub), expanded=True))
    for node in proc.all_nodes():
        out.append(_shape(node.id, *layout.node_box(node), marker=node.tag == "exclusiveGateway"))
    for fid, points in layout.edges.items():
        out.append(_edge(fid, points))
    return out


def _shape(element: str, x: float, y: float, w: float, h: float, horizontal: bool = False, expanded: bool = False,
           marker: bool = False) -> str:
    extra = ' isHorizontal="true"' if horizontal else ""
    extra += ' isExpanded="true"' if expanded else ""
    extra += ' isMarkerVisible="true"' if marker else ""
    return (f'      <bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>'
            f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" /></bpmndi:BPMNShape>')


def _edge(fid: str, points: list[Point]) -> str:
    waypoints = "".join(f'<di:waypoint x="{x:.0f}" y="{y:.0f}" />' for x, y in points)
    return f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">{waypoints}</bpmndi:BPMNEdge>'
