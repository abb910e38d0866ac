"""Issue #19 item 1: a diagram's element names are data, never markup, on the supervisor's pages."""
from __future__ import annotations

import json
import re
import shutil

from helpers import CHECKOUT, make_app, released
from process_driver import Driver
from web_support import Staff

ATTACK = "</script><script>window.boundaryPwned = 1</script>"


def _workflows_with_a_hostile_name(folder):
    shutil.copytree(CHECKOUT / "workflows", folder)
    path = folder / "contact_management.bpmn"
    text = path.read_text()
    escaped = ATTACK.replace("<", "&lt;").replace(">", "&gt;")
    assert 'name="Contact strategy in force"' in text
    path.write_text(text.replace('name="Contact strategy in force"', f'name="{escaped}"'))
    return folder


def test_a_call_activity_named_like_a_script_stays_inside_the_case_pictures_json(tmp_path):
    workflows = _workflows_with_a_hostile_name(tmp_path / "workflows")
    app = make_app(tmp_path, workflows=workflows, forms=CHECKOUT / "forms", process="contact_management")
    with released(app) as app:
        case_id = Driver(app.test_client()).to_active_strategy().case["id"]
        page = Staff(app, "supervisor").get(f"/monitoring/cases/{case_id}")
    assert page.status_code == 200
    assert "<script>window.boundaryPwned" not in page.text
    block = re.search(r'<script type="application/json" id="case-picture">(.*?)</script>', page.text, re.S).group(1)
    titles = [call["title"] for call in json.loads(block)["calls"]]
    assert ATTACK in titles  # the name arrives whole, as text
    # every script that may run is this site's file or carries this answer's nonce
    policy = page.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    for tag in re.findall(r"<script\b[^>]*>", page.text):
        assert 'type="application/json"' in tag or f'nonce="{nonce}"' in tag or 'src="/' in tag, tag
