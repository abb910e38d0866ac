"""The Data Protection Officer's work: disclosures, subject access, retention.

Modules: ``disclosures``, ``subject_access``, ``retention``.
Import them by name: this file imports nothing, so one area never loads another.
"""
