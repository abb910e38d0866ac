"""Builds the shipped BPMN diagrams in workflows/ from readable descriptions.

- ``model``: the processes, lanes, nodes, sub-processes and flows a description builds;
- ``elements``: the helpers descriptions use (user tasks, events, gateways, lanes by role);
- ``processes``: one module per shipped process (the content: ids, forms, conditions);
- ``layout``: where each shape and edge is drawn (diagram interchange);
- ``xml_writer``: the BPMN XML text.

``tools/build_workflows.py`` is the entry point.
"""
