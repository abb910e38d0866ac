"""Browser test helpers: sign in, run axe-core."""
from __future__ import annotations

from helpers import CHECKOUT

AXE = CHECKOUT / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page, server, username: str, password: str = "demo") -> None:
    page.goto(f"{server.url}/sign-in")
    page.fill("#username", username)
    page.fill("#password", password)
    # The answer is a new page (the inbox, or the form again with its errors): wait until it has loaded,
    # so that callers' non-waiting checks (is_visible, title) see it and not the page before.
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    # Evaluated, not added as a <script>: the pages' content-security policy refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def clean(page) -> bool:
    """No serious or critical axe-core violations, no console errors so far (``page.console_errors``)."""
    assert axe_violations(page) == [], page.url
    assert page.console_errors == [], page.url
    return True
