"""BPMN XML, read safely: its namespaces and the one way every reader parses a file.

The parser resolves no entities and fetches nothing (no XXE, no network), whoever
calls it: the loader, the deploy checks, the problem pins and the layout.
"""
from __future__ import annotations

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NAMESPACES = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "spiffworkflow": SPIFF_NS}
# Clark notation for tags and iter(): f"{BPMN}userTask".
BPMN = f"{{{BPMN_NS}}}"
SPIFF = f"{{{SPIFF_NS}}}"


def parse_bpmn(content: bytes) -> etree._Element:
    """The document's root element; raises ``etree.XMLSyntaxError`` when ``content`` is not XML.

    A fresh parser per call: lxml parsers must not be shared between threads.
    """
    return etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
