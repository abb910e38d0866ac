"""HTTP-level defences for every answer, pages and API alike.

- ``ProxyFix`` with ``BOUNDARY_TRUSTED_PROXIES`` hops, so ``request.remote_addr``
  (the sign-in limit's key, the audit's address) is the client's, not the proxy's,
  and a client cannot forge it when no proxy is trusted.
- Flask-Talisman's headers: a Content-Security-Policy whose scripts run only from
  this site or with the request's nonce (so markup that slips into a page cannot
  run), ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (no framing),
  ``nosniff``, ``Referrer-Policy: same-origin`` and, in production, HSTS.
Styles keep ``'unsafe-inline'``: bpmn-js and Chart.js set inline styles, and a
style cannot run code.
"""
from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
talisman = Talisman()


def init_http_security(app: Flask) -> None:
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents wrapping wsgi_app
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    production = app.config.get("ENV") == "production"
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the proxy, which redirects; HSTS keeps browsers on https
        strict_transport_security=production,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="same-origin",
        session_cookie_secure=production,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )
