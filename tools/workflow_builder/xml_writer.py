"""The BPMN XML text of built processes: semantics first, then the drawing from ``layout``."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .layout import di
from .model import Flow, Node, Proc


def process_xml(proc: Proc) -> str:
    out = [f'  <bpmn:process id="{proc.pid}" name={quoteattr(proc.name)} isExecutable="true">',
           '    <bpmn:laneSet id="laneset_' + proc.pid + '">']
    for lid, lname, _ in proc.lanes:
        out.append(f'      <bpmn:lane id="{lid}" name={quoteattr(lname)}>')
        for node in proc.nodes:
            if node.lane == lid:
                out.append(f"        <bpmn:flowNodeRef>{node.id}</bpmn:flowNodeRef>")
        for sub in proc.subs:
            if sub.lane == lid:
                out.append(f"        <bpmn:flowNodeRef>{sub.id}</bpmn:flowNodeRef>")
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    out += _elements(proc.nodes, proc.flows, "    ")
    for sub in proc.subs:
        out.append(f'    <bpmn:subProcess id="{sub.id}" name={quoteattr(sub.name)}{sub.attrs}>')
        if sub.props:
            out.append("      " + _props(sub.props))
        out += _connections(sub.id, proc.flows, "      ")
        if sub.inner:
            out.append("      " + sub.inner)
        out += _elements(sub.nodes, sub.flows, "      ")
        out.append("    </bpmn:subProcess>")
    out.append("  </bpmn:process>")
    return "\n".join(out)


def _connections(node_id: str, flows: list[Flow], pad: str) -> list[str]:
    lines = [f"{pad}<bpmn:incoming>{f[0]}</bpmn:incoming>" for f in flows if f[2] == node_id]
    lines += [f"{pad}<bpmn:outgoing>{f[0]}</bpmn:outgoing>" for f in flows if f[1] == node_id]
    return lines


def _elements(nodes: list[Node], flows: list[Flow], pad: str) -> list[str]:
    out = []
    for node in nodes:
        out.append(f'{pad}<bpmn:{node.tag} id="{node.id}" name={quoteattr(node.name)}{node.attrs}>')
        if node.docs:
            out.append(f"{pad}  <bpmn:documentation>{escape(node.docs)}</bpmn:documentation>")
        if node.props:
            out.append(f"{pad}  " + _props(node.props))
        out += _connections(node.id, flows, pad + "  ")
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


def _props(props: dict[str, str]) -> str:
    items = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(str(v))} />' for k, v in props.items())
    return f"<bpmn:extensionElements><spiffworkflow:properties>{items}</spiffworkflow:properties></bpmn:extensionElements>"


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
        out.append(f'    <bpmn:participant id="participant_{proc.pid}" name={quoteattr(proc.name)} '
                   f'processRef="{proc.pid}" />')
    out.append("  </bpmn:collaboration>")
    for proc in procs:
        out.append(process_xml(proc))
    out.append('  <bpmndi:BPMNDiagram id="diagram_' + defs_id + '">')
    out.append(f'    <bpmndi:BPMNPlane id="plane_{defs_id}" bpmnElement="collab_{defs_id}">')
    for proc in procs:
        out += di(proc)
    out.append("    </bpmndi:BPMNPlane>")
    out.append("  </bpmndi:BPMNDiagram>")
    out.append("</bpmn:definitions>")
    return "\n".join(out) + "\n"
