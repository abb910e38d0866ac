"""Where each shape and edge of a process is drawn: a grid of columns (steps, left to right)
and rows (lanes, top to bottom), written as BPMN diagram interchange (DI) that bpmn-js
renders without overlaps.
"""
from __future__ import annotations

from .model import Node, Proc, Sub

COL_W, LANE_H, X0, Y0, SUB_H = 150, 160, 190, 40, 150
SIZES = {"task": (110, 80), "event": (36, 36), "gateway": (50, 50), "call": (110, 80)}
TAGS = {
    "userTask": "task", "startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event",
    "intermediateThrowEvent": "event", "exclusiveGateway": "gateway", "parallelGateway": "gateway",
    "eventBasedGateway": "gateway", "callActivity": "call", "scriptTask": "task", "boundaryEvent": "event",
}
Box = tuple[float, float, float, float]
Point = tuple[float, float]


def lane_top(proc: Proc, lane_id: str) -> float:
    y: float = Y0
    for lid, _, rows in proc.lanes:
        if lid == lane_id:
            return y
        y += rows * LANE_H
    raise KeyError(lane_id)


def row_center(proc: Proc, lane_id: str, row: int) -> float:
    return lane_top(proc, lane_id) + row * LANE_H + LANE_H / 2


def width(proc: Proc) -> float:
    cols = [n.col for n in proc.all_nodes()] + [s.col + s.width for s in proc.subs]
    return (max(cols) + 2) * COL_W


def node_box(proc: Proc, node: Node) -> Box:
    w, h = SIZES[TAGS[node.tag]]
    cx = X0 + node.col * COL_W + COL_W / 2
    cy = row_center(proc, node.lane, node.row + (node.parent.row if node.parent else 0))
    if node.tag == "boundaryEvent":  # drawn on the bottom edge of the activity it is attached to
        cy += SIZES["call"][1] / 2
    return cx - w / 2, cy - h / 2, w, h


def sub_box(proc: Proc, sub: Sub) -> Box:
    x = X0 + sub.col * COL_W + 8
    top = lane_top(proc, sub.lane) + sub.row * LANE_H + 6
    return x, top, sub.width * COL_W - 16, sub.rows * LANE_H - 12


def boxes(proc: Proc) -> dict[str, Box]:
    """Every sub-process's and node's box, by element id."""
    out = {sub.id: sub_box(proc, sub) for sub in proc.subs}
    out.update({node.id: node_box(proc, node) for node in proc.all_nodes()})
    return out


def edge_points(source: Box, target: Box) -> list[Point]:
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    scx, scy, tcx, tcy = sx + sw / 2, sy + sh / 2, tx + tw / 2, ty + th / 2
    if tx >= sx + sw:  # forward: right side out, left side in, one elbow in between
        start, end = (sx + sw, scy), (tx, tcy)
        mid = (start[0] + end[0]) / 2
        return [start, (mid, start[1]), (mid, end[1]), end] if abs(scy - tcy) > 1 else [start, end]
    if abs(scx - tcx) < 1:  # straight down or up
        return [(scx, sy + sh), (tcx, ty)] if tcy > scy else [(scx, sy), (tcx, ty + th)]
    # backwards: under both shapes, then up into the target
    low = max(sy + sh, ty + th) + 22
    return [(scx, sy + sh), (scx, low), (tcx, low), (tcx, ty + th)]


def edges(proc: Proc) -> dict[str, list[Point]]:
    """Every sequence flow's waypoints, by flow id."""
    placed = boxes(proc)
    return {fid: edge_points(placed[source], placed[target]) for fid, source, target, _, _ in proc.all_flows()}


def di(proc: Proc) -> list[str]:
    out = []
    full_width = width(proc)
    height = sum(rows for _, _, rows in proc.lanes) * LANE_H
    out.append(_shape(f"participant_{proc.pid}", X0 - 60, Y0, full_width, height, horizontal=True))
    for lid, _, rows in proc.lanes:
        out.append(_shape(lid, X0 - 30, lane_top(proc, lid), full_width - 30, rows * LANE_H, horizontal=True))
    for sub in proc.subs:
        out.append(_shape(sub.id, *sub_box(proc, sub), expanded=True))
    for node in proc.all_nodes():
        out.append(_shape(node.id, *node_box(proc, node), marker=node.tag == "exclusiveGateway"))
    for fid, points in edges(proc).items():
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
