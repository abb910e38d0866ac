"""How readable a laid-out process is, in figures the generator prints and a test bounds.

- lane crossings: lanes an edge passes through that are neither its source's nor its
  target's (an edge from Case Officer to Line Manager should not cross Equality), counting
  the rows of a sub-process the edge is not part of as a lane;
- shape crossings: shapes an edge passes through other than its ends (and their sub-process);
- edge crossings: places where a horizontal segment of one edge properly crosses a
  vertical segment of another (shared ends and overlaps along a shared start are not crossings).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .layout import Layout, Point, _through, choose
from .model import Proc

Segment = tuple[Point, Point]


@dataclass(frozen=True)
class Crossings:
    lanes: int
    shapes: int
    edges: int

    def __str__(self) -> str:
        return f"lane crossings {self.lanes}, shape crossings {self.shapes}, edge crossings {self.edges}"


def of_process(proc: Proc) -> Crossings:
    """The figures for the layout the generator writes."""
    return measure(choose(proc))


def measure(layout: Layout) -> Crossings:
    proc = layout.proc
    routed = layout.edges
    lane_of = {node.id: node.lane for node in proc.all_nodes()} | {sub.id: sub.lane for sub in proc.subs}
    parent = {node.id: node.parent.id for node in proc.all_nodes() if node.parent}
    lanes = shapes = 0
    for fid, source, target, _, _ in proc.all_flows():
        points = routed[fid]
        own = {lane_of[source], lane_of[target], parent.get(source, ""), parent.get(target, ""), source, target}
        lanes += len(layout.lanes_passed(points) - own)
        ignore = {source, target, parent.get(source, ""), parent.get(target, "")}
        shapes += sum(1 for eid, box in layout.boxes.items() if eid not in ignore
                      and any(_through(a, b, box) for a, b in pairwise(points)))
    segments = [(fid, seg) for fid, points in routed.items() for seg in pairwise(points)]
    edges = 0
    for i, (fid, a) in enumerate(segments):
        for other, b in segments[i + 1:]:
            if other != fid and _cross(a, b):
                edges += 1
    return Crossings(lanes, shapes, edges)


def _cross(a: Segment, b: Segment) -> bool:
    horizontal, vertical = (a, b) if a[0][1] == a[1][1] else (b, a)
    if horizontal[0][1] != horizontal[1][1] or vertical[0][0] != vertical[1][0]:
        return False  # both horizontal or both vertical: overlaps are not crossings
    x, y = vertical[0][0], horizontal[0][1]
    x1, x2 = sorted((horizontal[0][0], horizontal[1][0]))
    y1, y2 = sorted((vertical[0][1], vertical[1][1]))
    return x1 < x < x2 and y1 < y < y2
