"""What every domain call stands on: the Context it takes (with its form store), the unit of
work and the incidents it records, the audit record, review dates.

Modules: ``context``, ``transaction``, ``audit``, ``engine_incidents``, ``forms``, ``form_rules``,
``emails``, ``reviews``, ``vocabulary``, ``terms``, ``equality``, ``policies``.
Import them by name: this file imports nothing, so one area never loads another.
"""
