"""The one clock the whole service reads, so tests can move time without sleeping.

SpiffWorkflow's timer module calls ``datetime.now(timezone.utc)`` through a
module-level name; ``install()`` replaces that name once with a ``datetime``
subclass whose ``now`` reads this clock. All times are aware and in UTC.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

_frozen: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    """The current time in UTC, as the service sees it."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc) + _offset


def is_frozen() -> bool:
    """Whether a test stopped the clock (then ``now()`` is the same on every call)."""
    return _frozen is not None


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (tests)."""
    global _frozen
    _frozen = at.astimezone(timezone.utc)


def advance(by: timedelta) -> None:
    """Move the clock forward (tests): frozen time moves, running time is offset."""
    global _frozen, _offset
    if _frozen is not None:
        _frozen = _frozen + by
    else:
        _offset += by


def reset() -> None:
    global _frozen, _offset
    _frozen, _offset = None, timedelta(0)


class _ClockDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        current = now()
        return current if tz is None or tz is timezone.utc else current.astimezone(tz)


def install() -> None:
    """Route SpiffWorkflow's timer clock through this module (idempotent)."""
    _spiff_timer.datetime = _ClockDatetime


install()
