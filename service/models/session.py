"""The session a domain call works in: an ORM session, or Flask-SQLAlchemy's scoped proxy for
the request's one (``db.session``). Here, beside the models, so the domain never names Flask."""
from __future__ import annotations

from typing import TypeAlias

from flask_sqlalchemy.session import Session as _FlaskSession
from sqlalchemy import orm

Session: TypeAlias = orm.Session | orm.scoped_session[_FlaskSession]
