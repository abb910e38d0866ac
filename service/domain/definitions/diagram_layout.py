"""Draw a diagram that has no drawing: add BPMN DI (shapes and edges) to BPMN without it.

SpiffWorkflow needs only the process; bpmn-js needs the diagram interchange
(DI) too, and shows nothing without it. BPMN written by hand or by a generator
(the test fixtures, some shipped files) has none, so before the modeller opens
such a file it gets a plain, readable layout: pools stacked, one row per lane,
elements in columns by their distance from the start, flows routed at right
angles, boundary events on their task's lower edge and each expanded
sub-process on its own drill-down plane. Files that have a drawing are
returned unchanged.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ...engine.bpmn_xml import NAMESPACES, parse_bpmn

NS = NAMESPACES
B, BPMNDI, DC, DI = (f"{{{NS[k]}}}" for k in ("bpmn", "bpmndi", "dc", "di"))
COLUMN, ROW, HEADER, MARGIN = 170, 120, 30, 40
EVENT, GATEWAY, TASK = (36, 36), (50, 50), (100, 80)
NOT_NODES = {"sequenceFlow", "laneSet", "boundaryEvent", "dataObject", "dataObjectReference", "dataStoreReference",
             "textAnnotation", "association", "extensionElements", "documentation", "ioSpecification", "property",
             "dataInputAssociation", "dataOutputAssociation", "multiInstanceLoopCharacteristics",
             "standardLoopCharacteristics", "incoming", "outgoing", "group", "category"}
ARTIFACTS = {"dataObjectReference", "dataStoreReference", "textAnnotation"}


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def ensure_diagram(content: bytes) -> bytes:
    """``content`` with a drawing: unchanged if it has one, else laid out."""
    try:
        root = parse_bpmn(content)
    except etree.XMLSyntaxError:
        return content
    if root.find(f"{BPMNDI}BPMNDiagram") is not None:
        return content
    if not root.findall(f"{B}process"):
        return content
    root = _with_di_namespaces(root)
    _Layout(root).run()
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _with_di_namespaces(root: etree._Element) -> etree._Element:
    """The root again, declaring the DI namespaces under their usual prefixes (lxml
    cannot add declarations to an existing element; undeclared ones come out as ns0)."""
    nsmap = dict(root.nsmap)
    for prefix in ("bpmndi", "dc", "di"):
        if NS[prefix] not in nsmap.values():
            nsmap[prefix if prefix not in nsmap else f"{prefix}x"] = NS[prefix]
    copy = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    copy.text = root.text
    for child in list(root):
        copy.append(child)
    return copy


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _size(element: etree._Element) -> tuple[int, int]:
    name = _local(element)
    if name.endswith("Event"):
        return EVENT
    if name.endswith("Gateway"):
        return GATEWAY
    if name in ("dataObjectReference", "dataStoreReference"):
        return (36, 50)
    if name == "textAnnotation":
        return (120, 40)
    return TASK


class _Layout:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.boxes: dict[str, Box] = {}
        self.diagram_count = 0

    def run(self) -> None:
        collaboration = self.root.find(f"{B}collaboration")
        processes = {p.get("id"): p for p in self.root.findall(f"{B}process")}
        if collaboration is not None:
            plane = self._plane(collaboration.get("id"))
            y = 0.0
            for participant in collaboration.findall(f"{B}participant"):
                process = processes.get(participant.get("processRef"))
                height = self._pool(plane, participant, process, y) if process is not None else 80
                if process is None:
                    self._shape(plane, participant, Box(0, y, 600, 80), horizontal=True)
                y += height + MARGIN
            for flow in collaboration.findall(f"{B}messageFlow"):
                self._straight(plane, flow)
            for process in processes.values():
                if not any(p.get("processRef") == process.get("id")
                           for p in collaboration.findall(f"{B}participant")):
                    self._content(self._plane(process.get("id")), process, 0, 0, [])
        else:
            for process in processes.values():
                self._content(self._plane(process.get("id")), process, 0, 0, self._lanes(process))

    # -- containers --------------------------------------------------------
    def _pool(self, plane: etree._Element, participant: etree._Element, process: etree._Element,
              top: float) -> float:
        lanes = self._lanes(process)
        width, height = self._content(plane, process, HEADER, top, lanes, measure=True)
        self._shape(plane, participant, Box(0, top, width + HEADER, height), horizontal=True)
        self._content(plane, process, HEADER, top, lanes)
        return height

    def _lanes(self, container: etree._Element) -> list[Any]:
        """Leaf lanes, top to bottom (nested lane sets flattened)."""
        found = []
        lane_set = container.find(f"{B}laneSet")
        for lane in (lane_set.findall(f"{B}lane") if lane_set is not None else []):
            child_set = lane.find(f"{B}childLaneSet")
            found.extend(self._lanes_of(child_set) if child_set is not None else [lane])
        return found

    def _lanes_of(self, lane_set: etree._Element) -> list[Any]:
        found = []
        for lane in lane_set.findall(f"{B}lane"):
            child_set = lane.find(f"{B}childLaneSet")
            found.extend(self._lanes_of(child_set) if child_set is not None else [lane])
        return found

    def _content(self, plane: etree._Element, container: etree._Element, left: float, top: float, lanes: list[Any],
                 measure: bool = False) -> tuple[float, float]:
        nodes = [c for c in container if _local(c) and _local(c) not in NOT_NODES]
        ids = {n.get("id") for n in nodes}
        hosts = {e.get("id"): e.get("attachedToRef") for e in container.findall(f"{B}boundaryEvent")}
        flows = [f for f in container.findall(f"{B}sequenceFlow")
                 if hosts.get(f.get("sourceRef"), f.get("sourceRef")) in ids and f.get("targetRef") in ids]
        rank = _ranks(nodes, [(hosts.get(f.get("sourceRef"), f.get("sourceRef")), f.get("targetRef")) for f in flows])
        lane_of = {ref.text.strip(): i for i, lane in enumerate(lanes)
                   for ref in lane.findall(f"{B}flowNodeRef") if ref.text}
        cells: dict[tuple[int, int], list[Any]] = defaultdict(list)
        for node in nodes:
            cells[(lane_of.get(node.get("id"), 0), rank[node.get("id")])].append(node)
        rows = max(1, len(lanes))
        heights = [max([len(v) for (lane, _), v in cells.items() if lane == row] or [1]) * ROW for row in range(rows)]
        columns = (max(rank.values()) + 1) if rank else 1
        width = columns * COLUMN + 2 * MARGIN
        artifacts = [c for c in container if _local(c) in ARTIFACTS]
        height = sum(heights) + (ROW if artifacts else 0)
        if measure:
            return width + (HEADER if lanes else 0), height
        lane_left = left + (HEADER if lanes else 0)
        y = top
        for row, lane in enumerate(lanes):
            self._shape(plane, lane, Box(left, y, width + HEADER, heights[row]), horizontal=True)
            y += heights[row]
        for (row, column), members in cells.items():
            row_top = top + sum(heights[:row])
            for k, node in enumerate(members):
                w, h = _size(node)
                box = Box(lane_left + MARGIN + column * COLUMN + (TASK[0] - w) / 2,
                          row_top + k * ROW + (ROW - h) / 2, w, h)
                expanded = _local(node) in ("subProcess", "transaction", "adHocSubProcess")
                self._shape(plane, node, box, expanded=False if expanded else None)
                if expanded:
                    self._content(self._plane(node.get("id")), node, 0, 0, [])
        for k, artifact in enumerate(artifacts):
            w, h = _size(artifact)
            self._shape(plane, artifact, Box(lane_left + MARGIN + k * COLUMN, top + sum(heights) + 30, w, h))
        self._boundary_events(plane, container)
        bottom = top + height
        for flow in flows + container.findall(f"{B}sequenceFlow"):
            if flow.get("id") not in self.boxes:
                self._route(plane, flow, bottom)
        for association in container.findall(f"{B}association"):
            self._straight(plane, association)
        return width, height

    def _boundary_events(self, plane: etree._Element, container: etree._Element) -> None:
        attached: dict[str, int] = defaultdict(int)
        for event in container.findall(f"{B}boundaryEvent"):
            host = self.boxes.get(event.get("attachedToRef"))
            if host is None:
                continue
            index = attached[event.get("attachedToRef")]
            attached[event.get("attachedToRef")] += 1
            self._shape(plane, event, Box(host.x + host.w - 54 - index * 40, host.y + host.h - 18, *EVENT))

    # -- DI elements ---------------------------------------------------------
    def _plane(self, element_id: str) -> etree._Element:
        self.diagram_count += 1
        diagram = etree.SubElement(self.root, f"{BPMNDI}BPMNDiagram", id=f"BPMNDiagram_{self.diagram_count}")
        return etree.SubElement(diagram, f"{BPMNDI}BPMNPlane", id=f"BPMNPlane_{self.diagram_count}",
                                bpmnElement=element_id)

    def _shape(self, plane: etree._Element, element: etree._Element, box: Box, horizontal: bool = False, expanded: bool | None = None) -> None:
        self.boxes[element.get("id")] = box
        shape = etree.SubElement(plane, f"{BPMNDI}BPMNShape", id=f"{element.get('id')}_di",
                                 bpmnElement=element.get("id"))
        if horizontal:
            shape.set("isHorizontal", "true")
        if expanded is not None:
            shape.set("isExpanded", "true" if expanded else "false")
        etree.SubElement(shape, f"{DC}Bounds", x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))

    def _edge(self, plane: etree._Element, element: etree._Element, points: list[tuple[float, float]]) -> None:
        self.boxes[element.get("id")] = Box(0, 0, 0, 0)
        edge = etree.SubElement(plane, f"{BPMNDI}BPMNEdge", id=f"{element.get('id')}_di",
                                bpmnElement=element.get("id"))
        for x, y in points:
            etree.SubElement(edge, f"{DI}waypoint", x=_n(x), y=_n(y))

    def _route(self, plane: etree._Element, flow: etree._Element, bottom: float) -> None:
        source, target = self.boxes.get(flow.get("sourceRef")), self.boxes.get(flow.get("targetRef"))
        if source is None or target is None:
            return
        if target.cx > source.cx:
            start, end = (source.x + source.w, source.cy), (target.x, target.cy)
            if _is_boundary(flow, self.root):
                start = (source.cx, source.y + source.h)
                points = [start, (start[0], end[1]), end] if end[1] != start[1] else [start, end]
            elif abs(start[1] - end[1]) < 1:
                points = [start, end]
            else:
                middle = (start[0] + end[0]) / 2
                points = [start, (middle, start[1]), (middle, end[1]), end]
        else:  # back to an earlier column: go round underneath
            low = max(source.y + source.h, target.y + target.h) + 20
            points = [(source.cx, source.y + source.h), (source.cx, low), (target.cx, low), (target.cx, target.y + target.h)]
        self._edge(plane, flow, points)

    def _straight(self, plane: etree._Element, flow: etree._Element) -> None:
        source, target = self.boxes.get(flow.get("sourceRef")), self.boxes.get(flow.get("targetRef"))
        if source is None or target is None:
            return
        start = (source.cx, source.y + source.h) if target.cy > source.cy else (source.cx, source.y)
        end = (target.cx, target.y) if target.cy > source.cy else (target.cx, target.y + target.h)
        self._edge(plane, flow, [start, end])


def _is_boundary(flow: etree._Element, root: etree._Element) -> bool:
    source = root.find(f".//*[@id='{flow.get('sourceRef')}']")
    return source is not None and _local(source) == "boundaryEvent"


def _ranks(nodes: list[Any], flows: list[tuple[str, str]]) -> dict[str, int]:
    """Column of each node: its longest distance from a start, ignoring flows that loop back
    (a flow from a boundary event counts as one from its task)."""
    ids = [n.get("id") for n in nodes]
    outgoing: dict[str, list[str]] = defaultdict(list)
    incoming: dict[str, int] = defaultdict(int)
    for source, target in flows:
        outgoing[source].append(target)
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}

    def visit(node: str) -> None:  # depth-first: an edge to a node still open is a loop
        stack = [(node, iter(outgoing[node]))]
        state[node] = 1
        while stack:
            current, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[current] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((current, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(outgoing[child])))

    starts = [i for i in ids if not any(i in targets for targets in outgoing.values())]
    for node in starts + ids:
        if node not in state:
            visit(node)
    for source, targets in outgoing.items():
        for target in targets:
            if (source, target) not in back:
                incoming[target] += 1
    rank = {i: 0 for i in ids}
    ready = [i for i in ids if incoming[i] == 0]
    while ready:
        node = ready.pop()
        for target in outgoing[node]:
            if (node, target) in back:
                continue
            rank[target] = max(rank[target], rank[node] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return rank


def _n(value: float) -> str:
    return str(int(round(value)))
