"""Domain logic: plain functions taking a database session (and the engine).

No Flask here: views, the worker, the CLI and tests call these directly and
own the transaction (see ``transaction``).
"""
