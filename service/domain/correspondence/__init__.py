"""Letters and email: letters drafted when a task completes and issued once as a PDF;
email queued in the caller's transaction, delivered by the worker, read in the outbox.

Modules: ``letters``, ``letter_issue``, ``letter_pdf``, ``letters_store``, ``mail``,
``mail_delivery``, ``notifications``, ``outbox``, ``contact_details``, ``letter_delivery``,
``policy_enclosure``.
Import them by name: this file imports nothing, so one area never loads another.
"""
