"""Browser test helpers: serve an app on loopback (``LiveServer``), sign in, run axe-core."""
from __future__ import annotations

import threading

from werkzeug.serving import make_server

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


def closing_before_the_server_writes(app):
    """WSGI middleware: the whole body is read and the app's iterable closed before the server sends it.

    Werkzeug's development server calls the iterable's ``close()`` only after
    draining the request socket; when the browser drops a connection mid-answer
    (a favicon or font fetch abandoned as a page moves on), that drain raises
    first and a file being sent is left open for the garbage collector, which
    pytest then reports in some later test. gunicorn, which serves production,
    closes it either way. Test pages are small, so holding a body is fine.
    """
    def wrapped(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wrapped


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, closing_before_the_server_writes(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
