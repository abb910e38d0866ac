"""A real OpenID Connect provider for the single sign-on tests (issue #20), not a mock.

``OpenIdProvider`` starts tests/sso/provider.mjs (the `oidc-provider` package, installed
by ``make install``'s ``npm ci``) with Node on a free loopback port, with its
own signing key, Boundary registered as a client and the test users below.
The fixtures that serve Boundary against it (``sso_settings``, ``sso_app``,
``sso_server``, ``provider``) are in tests/fixtures_plugin.py: tests/sso and
tests/browser both use them.
"""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from helpers import CHECKOUT

SCRIPT = Path(__file__).parent / "sso" / "provider.mjs"
PASSWORD = "organisation password"
USERS = {
    "olive": {"password": PASSWORD, "name": "Olive Officer", "email": "olive@example.org",
              "groups": ["boundary-officers", "all-staff"]},
    "max": {"password": PASSWORD, "name": "Max Manager", "email": "max@example.org",
            "groups": ["boundary-managers", "boundary-admins"]},
    "nora": {"password": PASSWORD, "name": "Nora Nobody", "email": "nora@example.org", "groups": ["all-staff"]},
}
GROUP_ROLES = {"boundary-officers": ["case_officer"], "boundary-managers": ["line_manager"],
               "boundary-admins": ["admin"]}
# The issuer is replaced by the provider's address once it listens (``provider``).
SSO_SETTINGS = {"OIDC_ISSUER": "http://127.0.0.1:9/not-started-yet",
                "OIDC_CLIENT_ID": "boundary", "OIDC_CLIENT_SECRET": "boundary-test-secret",
                "OIDC_SCOPES": "openid profile email groups", "OIDC_GROUP_ROLES": GROUP_ROLES}


class OpenIdProvider:
    def __init__(self, redirect_uri: str, post_logout_redirect_uri: str):
        if not (CHECKOUT / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("node_modules/oidc-provider is missing: run `make install` (npm ci).")
        options = {"redirectUri": redirect_uri, "postLogoutRedirectUri": post_logout_redirect_uri, "users": USERS}
        self.errors = tempfile.TemporaryFile(mode="w+")  # a file, so a chatty provider can never block on a full pipe
        self.process = subprocess.Popen(["node", str(SCRIPT), json.dumps(options)], cwd=CHECKOUT,
                                        stdout=subprocess.PIPE, stderr=self.errors, text=True)
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            self.errors.seek(0)
            pytest.fail(f"the OpenID provider did not start: {self.errors.read()}")
        self.issuer = json.loads(line)["issuer"]
        deadline = time.monotonic() + 15
        while True:  # ready once it answers its discovery document
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the OpenID provider never served its discovery document")
            time.sleep(0.05)

    def set_users(self, users: dict) -> None:
        requests.post(f"{self.issuer}/test/users", data=json.dumps(users), timeout=5).raise_for_status()

    def next_id_token(self, mode: str) -> None:
        requests.post(f"{self.issuer}/test/id-token", data=json.dumps({"mode": mode}), timeout=5).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.errors.close()


def organisation_sign_in(server, username: str, password: str = PASSWORD, http: requests.Session | None = None,
                         stop_at_callback: bool = False):
    """Press "Sign in with your organisation's account" and sign in at the provider's own page, over HTTP.

    Returns the last answer (Boundary's page after the callback), or with ``stop_at_callback``
    the callback URL the provider sent the browser to, unvisited.
    """
    http = http or requests.Session()
    login = http.get(f"{server.url}/sign-in/sso", timeout=10)
    assert login.status_code == 200 and "Test organisation sign-in" in login.text, login.text
    action = re.search(r'<form method="post" action="([^"]+)"', login.text).group(1)
    answer = http.post(requests.compat.urljoin(login.url, action), data={"login": username, "password": password},
                       timeout=10, allow_redirects=not stop_at_callback)
    if not stop_at_callback:
        return answer
    while answer.is_redirect and not answer.headers["Location"].startswith(server.url):
        answer = http.get(requests.compat.urljoin(answer.url, answer.headers["Location"]), timeout=10,
                          allow_redirects=False)
    return answer.headers["Location"]
