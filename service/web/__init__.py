"""The HTML side: GOV.UK Frontend pages, signed-in staff only.

``init_web`` sets up sign-in (Flask-Login), CSRF on every form (Flask-WTF),
sessions that can be ended (``auth``), the browser packages served from
node_modules, and registers each page module's blueprint.
"""
from __future__ import annotations

from flask import Flask

from .auth import init_auth
from .errors import init_error_pages
from .vendor import bp as vendor_bp


def init_web(app: Flask) -> None:
    init_auth(app)
    init_error_pages(app)
    app.register_blueprint(vendor_bp)
    from . import filters
    filters.register(app)
    from .pages import register_pages
    register_pages(app)
