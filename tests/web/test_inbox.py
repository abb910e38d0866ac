"""The inbox: my roles' ready tasks, most urgent first, filters and paging; claim, release, reassign."""
from __future__ import annotations

import re
from datetime import timedelta

from service.engine import clock
from service.models import AuditEvent, TaskRecord
from web_support import main_text

TITLE = "Discuss the incident and decide what happens next"


def table(response) -> str:
    found = re.search(r"<table.*?</table>", response.text, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def task_links(response) -> list[str]:
    return re.findall(r'href="/tasks/([0-9a-f-]{36})"', response.text)


def test_the_inbox_lists_my_roles_tasks_with_their_case(staff, setup):
    case_id = setup.start(service_user_name="Alex Smith", matter_reference="OPCC-9")
    text = main_text(staff("line_manager").get("/inbox"))
    assert TITLE in text and f"Case B-{case_id:06d} · Line Manager" in text
    assert "Alex Smith" in text and "Matter OPCC-9" in text
    assert "2 March 2026 at 09:00" in text  # waiting since, UK format in London time
    assert "7 March 2026" in text and "Overdue" not in text  # due in five days
    assert "Nobody yet" in text
    assert "There are no tasks waiting for you" in main_text(staff("dpo").get("/inbox"))
    assert TITLE not in main_text(staff("case_officer").get("/inbox"))
    assert "reassign their tasks from each case's page" in main_text(staff("supervisor").get("/inbox"))


def test_overdue_tasks_are_marked_and_come_first(staff, setup, frozen_clock):
    first = setup.start(matter_reference="OLD")
    frozen_clock.advance(timedelta(days=2))
    setup.complete(setup.start(matter_reference="NEWER", behaviour_types=["verbal_abuse"]), "manager_review", "line_manager",
                   {"behaviour_unacceptable": True, "welfare_support_offered": True,
                    "decision": "contact_strategy_now", "rationale": "Abusive"})
    frozen_clock.advance(timedelta(days=4))  # the first review (due 7 March) is now overdue
    text = table(staff("all_roles").get("/inbox"))
    assert "Overdue" in text
    assert text.index(f"Case B-{first:06d}") < text.index("Propose a contact strategy")
    # summer time: a task made at 09:00 UTC in June shows 10:00 in London
    clock.freeze(clock.now().replace(month=6, day=15))
    setup.start()
    assert "15 June 2026 at 10:00" in main_text(staff("line_manager").get("/inbox"))


def test_filters_by_role_and_task_type(staff, setup):
    setup.start()
    setup.to_strategy_proposal()
    everyone = staff("all_roles")
    assert len(task_links(everyone.get("/inbox"))) == 3  # the abusive case's police consideration too (SCO 3.2)
    officer_only = table(everyone.get("/inbox?role=case_officer"))
    assert "Propose a contact strategy" in officer_only and TITLE not in officer_only
    by_type = table(everyone.get("/inbox?type=manager_review"))
    assert TITLE in by_type and "Propose a contact strategy" not in by_type
    assert "No tasks match" in main_text(everyone.get("/inbox?role=dpo"))


def test_pages_of_tasks(staff, setup):
    for number in range(27):
        setup.start(matter_reference=f"M-{number}")
    manager = staff("line_manager")
    first, second = manager.get("/inbox"), manager.get("/inbox?page=2")
    assert len(task_links(first)) == 25 and len(task_links(second)) == 2
    assert not set(task_links(first)) & set(task_links(second))
    assert "27 tasks waiting" in main_text(first) and "Next page" in main_text(first)
    assert "Previous page" in main_text(second)
    assert manager.get("/inbox?page=nonsense").status_code == 200


def test_claim_and_release_show_who_is_on_a_task_and_are_recorded(staff, setup, query):
    task = setup.task(setup.start(), "manager_review")
    manager, colleague = staff("line_manager"), staff("all_roles")
    claimed = manager.post_form(f"/tasks/{task.id}/claim", {"next": "/inbox"}, page_url="/inbox",
                                follow_redirects=True)
    assert f"You are now working on: {TITLE}" in main_text(claimed) and "Release" in claimed.text
    assert "Demo Line Manager" in main_text(colleague.get("/inbox"))
    taken = colleague.post_form(f"/tasks/{task.id}/claim", {}, page_url="/inbox")
    assert taken.status_code == 409 and "Demo Line Manager is already working on" in main_text(taken)
    released = manager.post_form(f"/tasks/{task.id}/release", {}, page_url="/inbox", follow_redirects=True)
    assert "Anyone in the role can pick it up" in main_text(released)
    assert query(lambda s: s.get(TaskRecord, task.id).claimed_by) is None
    actions = query(lambda s: [e.action for e in s.query(AuditEvent).filter_by(task_id=task.id)])
    assert actions == ["task_claimed", "task_released"]


def test_only_the_claimant_or_a_manager_releases(staff, setup):
    case_id = setup.to_strategy_proposal()
    task = setup.task(case_id, "propose_contact_strategy")
    staff("all_roles").post_form(f"/tasks/{task.id}/claim", {}, page_url="/inbox")
    refused = staff("case_officer").post_form(f"/tasks/{task.id}/release", {}, page_url="/inbox")
    assert refused.status_code == 403 and "Only the person working on a task" in main_text(refused)
    assert "Release" not in staff("case_officer").get("/inbox").text
    assert staff("line_manager").post_form(f"/tasks/{task.id}/release", {}, page_url="/inbox").status_code == 302


def test_a_line_manager_or_supervisor_reassigns_to_someone_holding_the_role(staff, setup, query):
    case_id = setup.to_strategy_proposal()
    task = setup.task(case_id, "propose_contact_strategy")
    supervisor = staff("supervisor")
    page = supervisor.get(f"/cases/{case_id}")
    assert "Give Propose a contact strategy to" in main_text(page) and "Demo Case Officer (case_officer)" in page.text
    blank = supervisor.post_form(f"/tasks/{task.id}/reassign", {"username": "all_roles", "reason": " "},
                                 page_url=f"/cases/{case_id}")
    assert blank.status_code == 422 and "Give a reason for reassigning the task" in main_text(blank)
    assert query(lambda s: s.get(TaskRecord, task.id).claimed_by) is None
    done = supervisor.post_form(f"/tasks/{task.id}/reassign", {"username": "all_roles", "next": f"/cases/{case_id}",
                                                              "reason": "Sam is on leave"},
                                page_url=f"/cases/{case_id}", follow_redirects=True)
    assert "Propose a contact strategy is now with Demo all roles" in main_text(done)
    assert query(lambda s: s.get(TaskRecord, task.id).claimed_by) == "all_roles"
    wrong = supervisor.post_form(f"/tasks/{task.id}/reassign", {"username": "dpo", "reason": "r"},
                                 page_url=f"/cases/{case_id}")
    assert wrong.status_code == 409 and "does not hold the role this task needs (Case Officer)" in main_text(wrong)
    officer = staff("case_officer")
    assert "Give Propose" not in officer.get(f"/cases/{case_id}").text
    assert officer.post_form(f"/tasks/{task.id}/reassign", {"username": "case_officer", "reason": "r"},
                             page_url="/inbox").status_code == 403
    event = query(lambda s: s.query(AuditEvent).filter_by(action="task_reassigned").one())
    assert (event.actor, event.data) == ("supervisor", {"to": "all_roles", "reason": "Sam is on leave"})
    assert "Gave Propose a contact strategy to Demo all roles: Sam is on leave" in main_text(
        supervisor.get(f"/cases/{case_id}"))


def test_a_line_manager_reassigns_from_the_task_page(staff, setup, query):
    task = setup.task(setup.start(), "manager_review")
    manager = staff("line_manager")
    page = manager.get(f"/tasks/{task.id}")
    assert "Give this task to someone else" in main_text(page)
    manager.post_form(f"/tasks/{task.id}/reassign", {"username": "all_roles", "next": f"/tasks/{task.id}",
                                                     "reason": "Needs someone senior"},
                      page_url=f"/tasks/{task.id}")
    assert query(lambda s: s.get(TaskRecord, task.id).claimed_by) == "all_roles"


def test_the_next_field_only_returns_to_this_site(staff, setup):
    task = setup.task(setup.start(), "manager_review")
    response = staff("line_manager").post_form(f"/tasks/{task.id}/claim", {"next": "https://evil.example/"},
                                               page_url="/inbox")
    assert response.location.endswith("/inbox")
