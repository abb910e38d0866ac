"""What supervisors watch and do: the cases list and case picture, reports and exports,
suspending, resuming and terminating cases.

Modules: ``dashboard``, ``reports``, ``csv_export``, ``supervision``, ``case_history``.
Import them by name: this file imports nothing, so one area never loads another.
"""
