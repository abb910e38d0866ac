"""Cases and their tasks: starting, completing, messages and timers, what a case's rows hold,
moving running cases to a new version.

Modules: ``cases``, ``tasks``, ``case_rows``, ``persistence``, ``case_overview``, ``contacts``,
``inbox``, ``separation``, ``timers``, ``migration``, ``case_facts``, ``strategy_summary``,
``demo_time``.
Import them by name: this file imports nothing, so one area never loads another.
"""
