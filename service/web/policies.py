"""The policy clauses a task cites (CLE 9.6, WM 4.2), each with its text, one anchor per clause
so a task page links straight to the clause it names."""
from __future__ import annotations

from flask import render_template, url_for

from ..domain.core import policies
from .pages import page_blueprint

bp = page_blueprint("policies", __name__)


@bp.route("/policies")
def policies_page():
    return render_template("policies/policies.html", groups=policies.by_policy())


def clause_link(code: str) -> str:
    """Where a clause's text is, or "" for a code the index does not hold."""
    return url_for("policies.policies_page", _anchor=policies.anchor(code)) if policies.known(code) else ""


bp.add_app_template_global(clause_link, "clause_link")
