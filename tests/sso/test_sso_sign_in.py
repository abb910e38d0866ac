"""Issue #20: single sign-on with OpenID Connect, driven over HTTP against a real provider (tests/sso/provider.mjs)."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import select

from service.domain.people.users import find_user
from service.extensions import db
from service.models import AuditEvent, User
from sso_support import USERS, organisation_sign_in


def stored(app, fn):
    with app.app_context():
        try:
            return fn(db.session)
        finally:
            db.session.remove()


def roles_of(app, username):
    return stored(app, lambda s: sorted(find_user(s, username).roles))


def events(app, action):
    return stored(app, lambda s: [(e.actor, e.data) for e in s.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))])


def signed_in_page(http, server) -> requests.Response:
    return http.get(f"{server.url}/inbox", timeout=10, allow_redirects=False)


def test_the_first_sign_in_makes_the_user_with_the_roles_their_groups_map_to(sso_app, sso_server, provider):
    http = requests.Session()
    landed = organisation_sign_in(sso_server, "olive", http=http)
    assert landed.url == f"{sso_server.url}/inbox" and "Olive Officer" in landed.text
    assert roles_of(sso_app, "olive") == ["case_officer"]
    user = stored(sso_app, lambda s: (find_user(s, "olive").email, find_user(s, "olive").sso_subject))
    assert user == ("olive@example.org", f"{provider.issuer}#olive")
    assert events(sso_app, "user_created") == [("single sign-on", {
        "user": "olive", "roles": ["case_officer"], "reason": "first sign-in with single sign-on"})]
    assert signed_in_page(http, sso_server).status_code == 200
    # the account has no password anyone could use
    page = http.get(f"{sso_server.url}/sign-in", timeout=10)
    assert "Sign in with your organisation" in page.text
    stranger = requests.Session()
    form = stranger.get(f"{sso_server.url}/sign-in", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    refused = stranger.post(f"{sso_server.url}/sign-in", data={"username": "olive", "password": "!sso",
                                                              "csrf_token": token}, timeout=10)
    assert "not right" in refused.text


def test_a_changed_group_changes_the_roles_at_the_next_sign_in_on_the_record(sso_app, sso_server, provider):
    first = requests.Session()
    organisation_sign_in(sso_server, "olive", http=first)
    provider.set_users({**USERS, "olive": {**USERS["olive"], "groups": ["boundary-managers", "all-staff"]}})
    again = requests.Session()
    landed = organisation_sign_in(sso_server, "olive", http=again)
    assert landed.url == f"{sso_server.url}/inbox"
    assert roles_of(sso_app, "olive") == ["line_manager"]
    assert events(sso_app, "user_roles_changed")[-1] == ("single sign-on", {
        "user": "olive", "added": ["line_manager"], "removed": ["case_officer"],
        "groups": ["all-staff", "boundary-managers"], "reason": "groups at the organisation's provider"})
    assert signed_in_page(first, sso_server).status_code == 302  # the case officer's pages are gone
    assert signed_in_page(again, sso_server).status_code == 200
    organisation_sign_in(sso_server, "olive", http=requests.Session())
    assert len(events(sso_app, "user_roles_changed")) == 2  # unchanged roles are not recorded again


def test_someone_whose_groups_map_to_no_role_is_told_to_ask_their_administrator(sso_app, sso_server, provider):
    http = requests.Session()
    refused = organisation_sign_in(sso_server, "nora", http=http)
    assert refused.status_code == 403 and "Ask your administrator for access" in refused.text
    assert stored(sso_app, lambda s: s.scalar(select(User).where(User.username == "nora"))) is None
    assert signed_in_page(http, sso_server).status_code == 302


def test_a_tampered_state_is_refused(sso_app, sso_server, provider, caplog):
    http = requests.Session()
    callback = organisation_sign_in(sso_server, "olive", http=http, stop_at_callback=True)
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    assert set(query) >= {"code", "state"}
    query["state"] = ["forged" + query["state"][0][6:]]
    refused = http.get(urlunsplit(parts._replace(query=urlencode(query, doseq=True))), timeout=10)
    assert refused.status_code == 400 and "did not work" in refused.text
    assert "single sign-on refused: MismatchingStateError" in caplog.text
    assert signed_in_page(http, sso_server).status_code == 302
    assert stored(sso_app, lambda s: s.scalar(select(User).where(User.username == "olive"))) is None


@pytest.mark.parametrize(("mode", "why"), [("wrong_key", "BadSignatureError"), ("wrong_nonce", "InvalidClaimError"),
                                           ("expired", "ExpiredTokenError")])
def test_an_id_token_wrongly_signed_for_another_sign_in_or_expired_is_refused(sso_app, sso_server, provider, mode, why,
                                                                              caplog):
    provider.next_id_token(mode)
    http = requests.Session()
    refused = organisation_sign_in(sso_server, "olive", http=http)
    assert refused.status_code == 400 and "did not work" in refused.text, mode
    assert f"single sign-on refused: {why}" in caplog.text  # refused by the check meant to catch it
    assert signed_in_page(http, sso_server).status_code == 302
    assert stored(sso_app, lambda s: s.scalar(select(User).where(User.username == "olive"))) is None
    assert organisation_sign_in(sso_server, "olive").url == f"{sso_server.url}/inbox"  # the knob was for one token


def test_a_deactivated_user_cannot_sign_in_with_the_organisation_account(sso_app, sso_server, provider):
    organisation_sign_in(sso_server, "olive")
    runner = sso_app.test_cli_runner()
    assert runner.invoke(args=["deactivate-user", "olive"]).exit_code == 0
    refused = organisation_sign_in(sso_server, "olive")
    assert refused.status_code == 403 and "deactivated" in refused.text


def test_signing_out_ends_the_session_and_offers_the_provider_s_sign_out(sso_app, sso_server, provider):
    http = requests.Session()
    inbox = organisation_sign_in(sso_server, "max", http=http)
    assert roles_of(sso_app, "max") == ["admin", "line_manager"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', inbox.text).group(1)
    out = http.post(f"{sso_server.url}/sign-out", data={"csrf_token": token}, timeout=10)
    assert out.url == f"{sso_server.url}/signed-out" and "You have signed out of Boundary" in out.text
    link = re.search(r'href="([^"]+)"[^>]*id="end-provider-session"', out.text).group(1).replace("&amp;", "&")
    assert link.startswith(f"{provider.issuer}/session/end?")
    query = parse_qs(urlsplit(link).query)
    assert query["post_logout_redirect_uri"] == [f"{sso_server.url}/sign-in"] and query["id_token_hint"]
    assert signed_in_page(http, sso_server).status_code == 302
    ended = http.get(link, timeout=10)  # the provider's own confirmation page
    assert ended.status_code == 200
