"""Issue #19 item 14: process definitions are for process owners on the API as on the web."""
from __future__ import annotations

import pytest

from web_support import Staff

URLS = ["/api/v1/process-definitions", "/api/v1/process-definitions/fixture_process/versions/1/files/simple.bpmn"]


@pytest.mark.parametrize("username", ["case_officer", "supervisor", "dpo"])
def test_only_process_owners_list_and_download_definitions(app, as_user, username):
    for url in URLS:
        refused = as_user(username).get(url)
        assert refused.status_code == 403, url
        assert refused.get_json()["message"].startswith("Only a process owner can see")
        assert as_user("process_owner").get(url).status_code == 200, url
    assert Staff(app, username).get("/modeller/processes").status_code == 403  # the web says the same
