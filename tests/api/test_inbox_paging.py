"""GET /api/v1/tasks answers every ready task, or one page with per_page (an inbox with many open tasks)."""
from __future__ import annotations


def test_pages_cover_the_inbox_once_in_order(officer, new_case):
    for n in range(5):
        new_case(matter_reference=f"M-{n}")
    everything = officer.get("/api/v1/tasks").get_json()
    assert set(everything) == {"items"} and len(everything["items"]) == 5
    pages = [officer.get(f"/api/v1/tasks?per_page=2&page={page}").get_json() for page in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    assert pages[0]["page"] == 1 and pages[0]["per_page"] == 2
    assert [t["id"] for p in pages for t in p["items"]] == [t["id"] for t in everything["items"]]


def test_a_page_size_out_of_range_is_refused(officer):
    for query in ("per_page=0", "per_page=501", "page=0&per_page=5"):
        response = officer.get(f"/api/v1/tasks?{query}")
        assert response.status_code == 422 and response.get_json()["error"] == "invalid_input"
