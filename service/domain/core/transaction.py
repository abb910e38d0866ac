"""The unit of work callers wrap around a domain call.

Commits on success; on any exception rolls back so the stored case is exactly
as before. An engine failure on valid input (``CaseCouldNotMoveOn``) is then
written down as an incident in a unit of work of its own. A lost race (another transaction saved the case first, or SQLite's
write lock could not be had) becomes ``Conflict``.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ...errors import CaseCouldNotMoveOn, Conflict

if TYPE_CHECKING:
    from .context import Session

def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (SQLAlchemy types ``execute``'s answer as a plain Result)."""
    return cast("CursorResult[Any]", result).rowcount


CONFLICT_MESSAGE = "Someone else changed this case at the same moment. Reload it and try again."


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    try:
        yield session
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict(CONFLICT_MESSAGE) from None
    except OperationalError as error:
        session.rollback()
        if "locked" in str(error).lower() or "could not serialize" in str(error).lower():
            raise Conflict(CONFLICT_MESSAGE) from None
        raise
    except IntegrityError:
        session.rollback()
        raise Conflict(CONFLICT_MESSAGE) from None
    except CaseCouldNotMoveOn as failure:
        session.rollback()
        from . import engine_incidents  # imported here: audit and models import nothing from here

        engine_incidents.record(session, failure)
        session.commit()
        raise
    except BaseException:
        session.rollback()
        raise
