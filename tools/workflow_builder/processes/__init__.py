"""One module per shipped process; each has ``build() -> Proc``. ``ALL`` is the order they are written in."""
from __future__ import annotations

from collections.abc import Callable

from ..model import Proc
from . import (
               breach_handling,
               contact_management,
               contact_strategy,
               dispute_handling,
               partner_sharing,
               police_consideration,
               social_media_moderation,
               strategy_amendment,
)

ALL: list[Callable[[], Proc]] = [
    contact_management.build, contact_strategy.build, breach_handling.build, strategy_amendment.build,
    dispute_handling.build, partner_sharing.build, police_consideration.build, social_media_moderation.build,
]
