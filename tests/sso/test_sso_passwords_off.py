"""Issue #20: with single sign-on on, local passwords can be turned off; the break-glass accounts keep theirs."""
from __future__ import annotations

import re

import pytest
import requests

from sso_support import SSO_SETTINGS, organisation_sign_in


@pytest.fixture
def sso_settings():
    return {**SSO_SETTINGS, "LOCAL_PASSWORDS": False, "PASSWORD_USERS": ("admin", " api_client")}


def password_sign_in(server, username, password="demo"):
    http = requests.Session()
    page = http.get(f"{server.url}/sign-in", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return http.post(f"{server.url}/sign-in", data={"username": username, "password": password, "csrf_token": token},
                     timeout=10, allow_redirects=False)


def test_only_the_break_glass_accounts_keep_a_password_when_passwords_are_off(sso_server, provider):
    page = requests.get(f"{sso_server.url}/sign-in", timeout=10).text
    assert "Sign in with your organisation" in page and "emergency administrator accounts only" in page
    refused = password_sign_in(sso_server, "case_officer")
    assert refused.status_code == 200 and "Passwords are turned off here" in refused.text
    token = requests.post(f"{sso_server.url}/api/v1/tokens", json={"username": "case_officer", "password": "demo"},
                          timeout=10)
    assert token.status_code == 401
    assert password_sign_in(sso_server, "admin").status_code == 302  # the break-glass administrator
    assert requests.post(f"{sso_server.url}/api/v1/tokens", json={"username": "admin", "password": "demo"},
                         timeout=10).status_code == 201
    assert organisation_sign_in(sso_server, "olive").url == f"{sso_server.url}/inbox"


def test_an_organisation_account_is_never_linked_to_a_break_glass_account(sso_server, provider):
    provider.set_users({"admin": {"password": "organisation password", "name": "Impostor",
                                  "groups": ["boundary-admins"]}})
    refused = organisation_sign_in(sso_server, "admin")
    assert refused.status_code == 403 and "belongs to someone else" in refused.text
