"""Process definitions and the modeller: deployed versions, diagram problems and layout.

Modules: ``versions``, ``modeller``, ``diagram_problems``, ``diagram_layout``, ``data_flow``,
``deploy_checks``, ``diagram_graph``, ``form_reads``, ``version_diff``.
Import them by name: this file imports nothing, so one area never loads another.
"""
