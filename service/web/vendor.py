"""Browser packages installed by npm at set-up, served straight from node_modules.

Only these folders are reachable; nothing third-party is committed.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from ..config import CHECKOUT

NODE_MODULES = CHECKOUT / "node_modules"
PACKAGES: dict[str, Path] = {
    "govuk": NODE_MODULES / "govuk-frontend" / "dist" / "govuk",
    "bpmn-js": NODE_MODULES / "bpmn-js" / "dist",
    "bpmn-js-properties-panel": NODE_MODULES / "bpmn-js-properties-panel" / "dist",
    "properties-panel": NODE_MODULES / "@bpmn-io" / "properties-panel" / "dist",
    # The Preact copy the properties panel ships and bundles: the modeller's own
    # panel entries render with it (the UMD panel does not export its Preact).
    "properties-panel-preact": NODE_MODULES / "@bpmn-io" / "properties-panel" / "preact" / "dist",
    "axe-core": NODE_MODULES / "axe-core",
    "chart.js": NODE_MODULES / "chart.js" / "dist",
}

bp = Blueprint("vendor", __name__)


@bp.route("/vendor/<package>/<path:filename>")
def asset(package: str, filename: str):
    folder = PACKAGES.get(package)
    if folder is None:
        abort(404)
    return send_from_directory(folder, filename, max_age=3600)


@bp.route("/assets/<path:filename>")
def govuk_asset(filename: str):
    """GOV.UK Frontend's stylesheet looks for its fonts and images under /assets/."""
    return send_from_directory(PACKAGES["govuk"] / "assets", filename, max_age=86400)
