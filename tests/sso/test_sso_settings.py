"""Issue #20: single sign-on settings an operator gets wrong are named at start-up."""
from __future__ import annotations

from service.config import check_settings, load_settings


def problems(**environ) -> list[str]:
    return check_settings(load_settings({"BOUNDARY_ENV": "production", "SECRET_KEY": "k" * 40,
                                         "DATABASE_URL": "postgresql://u:p@db/boundary", **environ}))


def test_single_sign_on_settings_are_checked_at_start_up():
    assert problems() == []
    assert any("nobody could sign in" in p for p in problems(BOUNDARY_LOCAL_PASSWORDS="off"))
    wrong = problems(BOUNDARY_OIDC_ISSUER="http://idp.example.org", BOUNDARY_OIDC_CLIENT_ID="boundary",
                     BOUNDARY_OIDC_GROUP_ROLES='{"staff": ["case_officer", "wizard"]}')
    assert any("unknown roles: wizard" in p for p in wrong)
    assert any("BOUNDARY_OIDC_CLIENT_SECRET is not set" in p for p in wrong)
    assert any("must be an https:// address" in p for p in wrong)
    assert any("BOUNDARY_OIDC_GROUP_ROLES" in p and "not valid" in p
               for p in problems(BOUNDARY_OIDC_GROUP_ROLES="{not json"))
    settings = load_settings({"BOUNDARY_PASSWORD_USERS": "breakglass, api-client"})
    assert settings["PASSWORD_USERS"] == ("breakglass", "api-client")
    assert problems(BOUNDARY_OIDC_ISSUER="https://login.microsoftonline.com/t/v2.0", BOUNDARY_OIDC_CLIENT_ID="c",
                    BOUNDARY_OIDC_CLIENT_SECRET="s", BOUNDARY_LOCAL_PASSWORDS="off",
                    BOUNDARY_OIDC_GROUP_ROLES='{"g": ["admin"]}') == []
