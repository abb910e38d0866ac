"""Property values more than one process uses."""
from __future__ import annotations

# Needs or adjustments on record (told at the start, found in the causes check, considered in a proposal):
# ``needs_on_record`` is set by the domain when a task with ``notesNeeds`` completes (domain/equality.py).
NEEDS_RECORDED = "needs_on_record"

# What the authorising officer also reads before deciding (part of the task's ``shows`` property).
SHOWN_TO_AUTHORISER = ("additional_needs reasonable_adjustments additional_needs_identified adjustments_required "
                       "adjustments_considered advice adjustments_agreed")
