"""Registers the page modules. Each has a blueprint ``bp`` made by ``page_blueprint``."""
from __future__ import annotations

import importlib
from functools import wraps

from flask import Blueprint, Flask, request, url_for
from flask_login import current_user, login_required

from ..domain.people.permissions import Ability, can, roles_with
from ..errors import BoundaryError, Forbidden
from .errors import page_error

# Page modules under service/web/, each with a blueprint ``bp``.
PAGE_MODULES = ["home", "inbox", "tasks", "cases", "contact_details", "letters", "modeller", "monitoring", "data_protection",
                "outbox", "account", "people", "sso", "policies"]

# The menu: (endpoint, text, the ability that sees it or None for everyone). An item
# shows only once its page module is registered.
NAV: list[tuple[str, str, Ability | None]] = [
    ("inbox.inbox", "Inbox", None),
    ("casework.record_incident", "Record an incident", Ability.START_CASES),
    ("casework.case_list", "Cases", None),
    ("monitoring.dashboard", "Monitoring", Ability.SUPERVISE),
    ("modeller.definitions", "Processes", Ability.OWN_PROCESSES),
    ("data_protection.home", "Data protection", Ability.DPO_WORK),
    ("outbox.outbox_page", "Outbox", Ability.READ_ALL_EMAIL),
    ("people.users", "People", Ability.ADMINISTER),
]


def register_pages(app: Flask) -> None:
    for name in PAGE_MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        app.register_blueprint(module.bp)

    @app.context_processor
    def _menu():
        return {"nav_items": lambda: nav_items(app)}


def nav_items(app: Flask) -> list[dict]:
    items = []
    for endpoint, text, ability in NAV:
        if endpoint not in app.view_functions or (ability and not can(current_user, ability)):
            continue
        href = url_for(endpoint)
        blueprint = endpoint.split(".")[0]
        items.append({"href": href, "text": text, "endpoint": endpoint,
                      "active": request.blueprint == blueprint})
    # Two items from one blueprint (Record an incident, Cases): only the page's own is current,
    # or else the blueprint's last item (a case page is under Cases).
    exact = [i for i in items if i["endpoint"] == request.endpoint]
    same = [i for i in items if i["active"]]
    for item in items:
        item["active"] = item in exact if exact else bool(same) and item is same[-1]
    return items


def page_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose pages need a signed-in user and show domain errors as pages."""
    bp = Blueprint(name, import_name)

    @bp.before_request
    @login_required
    def _signed_in():
        return None

    bp.register_error_handler(BoundaryError, page_error)
    return bp


def requires_role(ability: Ability):
    """Refuse (403 page) unless the signed-in user holds a role with ``ability`` (``domain.people.permissions``)."""
    ability = Ability(ability)  # a role key here fails at import, not at the first request
    roles = roles_with(ability)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not can(current_user, ability):
                raise Forbidden("This page is for " + " or ".join(r.replace("_", " ") for r in roles) + " only.")
            return view(*args, **kwargs)
        return wrapper
    return decorate
