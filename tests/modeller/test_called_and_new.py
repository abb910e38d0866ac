"""The editor links each called process to where it is edited, and the "new diagram" starter
passes the same checks as any deploy."""
from __future__ import annotations

import json

from helpers import CHECKOUT

STARTER = (CHECKOUT / "service" / "static" / "modeller" / "new-diagram.bpmn").read_text()


def test_the_editor_page_carries_where_each_process_is_edited(pages):
    page = pages.get("/modeller/processes/fixture_process/edit").text
    urls = json.loads(page.split('id="called-process-urls">')[1].split("</script>")[0])
    assert urls["fixture_process"] == "/modeller/processes/fixture_process/edit"
    assert 'id="new-diagram-button"' in page


def test_the_new_diagram_starter_checks_clean_and_deploys_as_a_new_process(pages):
    checked = pages.json("/modeller/validate", {"filename": "new_process.bpmn", "xml": STARTER})
    assert checked.get_json() == {"ok": True, "problems": []}
    deployed = pages.json("/modeller/deploy", {"filename": "new_process.bpmn", "xml": STARTER, "note": "new",
                                                  "confirm": True})
    assert deployed.status_code == 201 and deployed.get_json()["version"]["label"] == "new_process v1"
    page = pages.get("/modeller/processes/fixture_process/edit").text
    urls = json.loads(page.split('id="called-process-urls">')[1].split("</script>")[0])
    assert urls["new_process"] == "/modeller/processes/new_process/edit"  # callable, and opens its own definition
