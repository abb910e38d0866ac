"""A small writer for laid-out BPMN: processes, lanes, nodes, flows and diagram interchange.

Used by ``build_workflows.py`` so the shipped diagrams are generated from one
readable description and always carry a clean grid layout (columns by step,
rows by lane) that bpmn-js renders without overlaps.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

COL_W, LANE_H, X0, Y0, SUB_H = 150, 160, 190, 40, 150
SIZES = {"task": (110, 80), "event": (36, 36), "gateway": (50, 50), "call": (110, 80)}
TAGS = {
    "userTask": "task", "startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event",
    "intermediateThrowEvent": "event", "exclusiveGateway": "gateway", "parallelGateway": "gateway",
    "eventBasedGateway": "gateway", "callActivity": "call", "scriptTask": "task", "boundaryEvent": "event",
}


@dataclass
class Node:
    id: str
    tag: str
    name: str
    lane: str
    col: float
    row: int = 0
    props: dict = field(default_factory=dict)
    docs: str = ""
    inner: str = ""      # extra XML inside the element (event definitions, called element...)
    attrs: str = ""
    parent: Sub | None = None

    def box(self, proc: Proc):
        w, h = SIZES[TAGS[self.tag]]
        cx = X0 + self.col * COL_W + COL_W / 2
        cy = proc.row_center(self.lane, self.row + (self.parent.row if self.parent else 0))
        if self.tag == "boundaryEvent":  # drawn on the bottom edge of the activity it is attached to
            cy += SIZES["call"][1] / 2
        return cx - w / 2, cy - h / 2, w, h


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
    nodes: list = field(default_factory=list)
    flows: list = field(default_factory=list)
    props: dict = field(default_factory=dict)
    rows: int = 2

    def box(self, proc: Proc):
        x = X0 + self.col * COL_W + 8
        top = proc.lane_top(self.lane) + self.row * LANE_H + 6
        return x, top, self.width * COL_W - 16, self.rows * LANE_H - 12


class Proc:
    def __init__(self, pid: str, name: str, lanes: list[tuple[str, str, int]]):
        """``lanes``: (lane id, lane name = role title, rows)."""
        self.pid, self.name, self.lanes = pid, name, lanes
        self.nodes: list[Node] = []
        self.flows: list[tuple] = []
        self.subs: list[Sub] = []
        self.messages: dict[str, str] = {}
        self.signals: set[str] = set()
        self._n = 0

    # -- geometry --------------------------------------------------------------
    def lane_top(self, lane_id: str) -> float:
        y = Y0
        for lid, _, rows in self.lanes:
            if lid == lane_id:
                return y
            y += rows * LANE_H
        raise KeyError(lane_id)

    def row_center(self, lane_id: str, row: int) -> float:
        return self.lane_top(lane_id) + row * LANE_H + LANE_H / 2

    def width(self) -> float:
        cols = [n.col for n in self.all_nodes()] + [s.col + s.width for s in self.subs]
        return (max(cols) + 2) * COL_W

    def all_nodes(self):
        return self.nodes + [n for s in self.subs for n in s.nodes]

    # -- building --------------------------------------------------------------
    def add(self, tag, id, name, lane, col, row=0, sub=None, **kw) -> Node:
        node = Node(id, tag, name, lane, col, row, parent=sub, **kw)
        (sub.nodes if sub else self.nodes).append(node)
        return node

    def flow(self, source, target, condition=None, name="", sub=None, fid=None):
        self._n += 1
        fid = fid or f"flow_{source}_{target}"
        (sub.flows if sub else self.flows).append((fid, source, target, condition, name))

    def sub(self, id, name, lane, col, width, row=0, attrs="", inner="", **props) -> Sub:
        sub = Sub(id, name, lane, col, width, row, attrs, inner, props=props)
        self.subs.append(sub)
        return sub

    def message(self, name: str, variable: str) -> str:
        self.messages[name] = variable
        return f"msg_{name}"

    # -- output ----------------------------------------------------------------
    def xml(self) -> str:
        out = [f'  <bpmn:process id="{self.pid}" name={quoteattr(self.name)} isExecutable="true">',
               '    <bpmn:laneSet id="laneset_' + self.pid + '">']
        for lid, lname, _ in self.lanes:
            out.append(f'      <bpmn:lane id="{lid}" name={quoteattr(lname)}>')
            for node in self.nodes:
                if node.lane == lid:
                    out.append(f"        <bpmn:flowNodeRef>{node.id}</bpmn:flowNodeRef>")
            for sub in self.subs:
                if sub.lane == lid:
                    out.append(f"        <bpmn:flowNodeRef>{sub.id}</bpmn:flowNodeRef>")
            out.append("      </bpmn:lane>")
        out.append("    </bpmn:laneSet>")
        out += self._elements(self.nodes, self.flows, "    ")
        for sub in self.subs:
            out.append(f'    <bpmn:subProcess id="{sub.id}" name={quoteattr(sub.name)}{sub.attrs}>')
            if sub.props:
                out.append("      " + _props(sub.props))
            out += self._connections(sub.id, self.flows, "      ")
            if sub.inner:
                out.append("      " + sub.inner)
            out += self._elements(sub.nodes, sub.flows, "      ")
            out.append("    </bpmn:subProcess>")
        out.append("  </bpmn:process>")
        return "\n".join(out)

    def _connections(self, node_id, flows, pad):
        lines = [f"{pad}<bpmn:incoming>{f[0]}</bpmn:incoming>" for f in flows if f[2] == node_id]
        lines += [f"{pad}<bpmn:outgoing>{f[0]}</bpmn:outgoing>" for f in flows if f[1] == node_id]
        return lines

    def _elements(self, nodes, flows, pad):
        out = []
        for node in nodes:
            out.append(f'{pad}<bpmn:{node.tag} id="{node.id}" name={quoteattr(node.name)}{node.attrs}>')
            if node.docs:
                out.append(f"{pad}  <bpmn:documentation>{escape(node.docs)}</bpmn:documentation>")
            if node.props:
                out.append(f"{pad}  " + _props(node.props))
            out += self._connections(node.id, flows, pad + "  ")
            if node.inner:
                out.append(f"{pad}  {node.inner}")
            out.append(f"{pad}</bpmn:{node.tag}>")
        for fid, source, target, condition, name in flows:
            label = f" name={quoteattr(name)}" if name else ""
            if condition:
                out.append(f'{pad}<bpmn:sequenceFlow id="{fid}"{label} sourceRef="{source}" targetRef="{target}">'
                           f"<bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>"
                           "</bpmn:sequenceFlow>")
            else:
                out.append(f'{pad}<bpmn:sequenceFlow id="{fid}"{label} sourceRef="{source}" targetRef="{target}" />')
        return out

    def di(self) -> list[str]:
        out = []
        width = self.width()
        height = sum(rows for _, _, rows in self.lanes) * LANE_H
        out.append(_shape(f"participant_{self.pid}", X0 - 60, Y0, width, height, horizontal=True))
        for lid, _, rows in self.lanes:
            out.append(_shape(lid, X0 - 30, self.lane_top(lid), width - 30, rows * LANE_H, horizontal=True))
        boxes = {}
        for sub in self.subs:
            boxes[sub.id] = sub.box(self)
            out.append(_shape(sub.id, *boxes[sub.id], expanded=True))
        for node in self.all_nodes():
            boxes[node.id] = node.box(self)
            out.append(_shape(node.id, *boxes[node.id], marker=node.tag == "exclusiveGateway"))
        for fid, source, target, _, _name in self.flows + [f for s in self.subs for f in s.flows]:
            out.append(_edge(fid, boxes[source], boxes[target]))
        return out


def _props(props: dict) -> str:
    items = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(str(v))} />' for k, v in props.items())
    return f"<bpmn:extensionElements><spiffworkflow:properties>{items}</spiffworkflow:properties></bpmn:extensionElements>"


def _shape(element, x, y, w, h, horizontal=False, expanded=False, marker=False) -> str:
    extra = ' isHorizontal="true"' if horizontal else ""
    extra += ' isExpanded="true"' if expanded else ""
    extra += ' isMarkerVisible="true"' if marker else ""
    return (f'      <bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>'
            f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" /></bpmndi:BPMNShape>')


def _edge(fid, source, target) -> str:
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    scx, scy, tcx, tcy = sx + sw / 2, sy + sh / 2, tx + tw / 2, ty + th / 2
    if tx >= sx + sw:  # forward: right side out, left side in, one elbow in between
        start, end = (sx + sw, scy), (tx, tcy)
        mid = (start[0] + end[0]) / 2
        points = [start, (mid, start[1]), (mid, end[1]), end] if abs(scy - tcy) > 1 else [start, end]
    elif abs(scx - tcx) < 1:  # straight down or up
        points = [(scx, sy + sh), (tcx, ty)] if tcy > scy else [(scx, sy), (tcx, ty + th)]
    else:  # backwards: under both shapes, then up into the target
        low = max(sy + sh, ty + th) + 22
        points = [(scx, sy + sh), (scx, low), (tcx, low), (tcx, ty + th)]
    waypoints = "".join(f'<di:waypoint x="{x:.0f}" y="{y:.0f}" />' for x, y in points)
    return f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">{waypoints}</bpmndi:BPMNEdge>'


def document(defs_id: str, procs: list[Proc]) -> str:
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
            'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
            'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
            f'id="{defs_id}" targetNamespace="https://boundary.example/workflows" exporter="Boundary build_workflows.py">')
    out = [head]
    for proc in procs:
        for name, variable in sorted(proc.messages.items()):
            out.append(f'  <bpmn:message id="msg_{name}" name="{name}"><bpmn:extensionElements>'
                       f"<spiffworkflow:messageVariable>{variable}</spiffworkflow:messageVariable>"
                       "</bpmn:extensionElements></bpmn:message>")
        for name in sorted(proc.signals):
            out.append(f'  <bpmn:signal id="sig_{name}" name="{name}" />')
    out.append(f'  <bpmn:collaboration id="collab_{defs_id}">')
    for proc in procs:
        out.append(f'    <bpmn:participant id="participant_{proc.pid}" name={quoteattr(proc.name)} processRef="{proc.pid}" />')
    out.append("  </bpmn:collaboration>")
    for proc in procs:
        out.append(proc.xml())
    out.append('  <bpmndi:BPMNDiagram id="diagram_' + defs_id + '">')
    out.append(f'    <bpmndi:BPMNPlane id="plane_{defs_id}" bpmnElement="collab_{defs_id}">')
    for proc in procs:
        out += proc.di()
    out.append("    </bpmndi:BPMNPlane>")
    out.append("  </bpmndi:BPMNDiagram>")
    out.append("</bpmn:definitions>")
    return "\n".join(out) + "\n"
