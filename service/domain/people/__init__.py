"""Staff: accounts and passwords, signing in, roles and who may do what, need to know,
and who holds, claims or is given a task.

Modules: ``users``, ``passwords``, ``sign_in``, ``sign_in_limits``, ``account``, ``access``,
``roles``, ``permissions``, ``claims``, ``admin_users``, ``sessions``, ``sso``.
Import them by name: this file imports nothing, so one area never loads another.
"""
