"""Staff are emailed when a task arrives for their role and once when it becomes overdue: only
those with an address who have not turned it off, and never with the person's details."""
from __future__ import annotations

from datetime import timedelta

from mail_support import announce, mail_app
from service.domain.casework.timers import sweep
from service.domain.core.transaction import transaction
from service.domain.people import claims, users
from service.engine import clock
from service.extensions import db
from service.models import OutboundEmail, TaskRecord, User
from service.services import context
from web.case_setup import CaseSetup
from web_support import Staff


def change_user(app, username, **fields):
    with app.app_context():
        with transaction(db.session):
            user = users.find_user(db.session, username)
            for name, value in fields.items():
                setattr(user, name, value)


def emails(app, kind):
    with app.app_context():
        rows = db.session.query(OutboundEmail).filter_by(kind=kind).order_by(OutboundEmail.id).all()
        db.session.expunge_all()
        return rows


def test_a_new_task_is_emailed_once_to_the_role_holders_who_want_it(app):
    change_user(app, "all_roles", notify_by_email=False)  # holds line_manager, but opted out
    with app.app_context():
        with transaction(db.session):
            users.create_user(db.session, "lee", "a long enough passphrase", ["line_manager"])  # no address
            users.create_user(db.session, "former", "a long enough passphrase", ["line_manager"], email="former@example.org")
            db.session.query(User).filter_by(username="former").one().active = False
    case_id = CaseSetup(app).start(service_user_name="Sam Jones", matter_reference="M-77")
    task = CaseSetup(app).task(case_id, "manager_review")
    assert emails(app, "task_arrived") == []  # the completion path sends nothing itself
    assert announce(app) == 1
    assert announce(app) == 0  # once only
    [email] = emails(app, "task_arrived")
    assert (email.to_address, email.status, email.case_id) == ("line_manager@example.org", "outbox", None)
    assert email.subject == f"A task is waiting for you: {task.title} on case B-{case_id:06d}"
    assert f"https://boundary.example.org/tasks/{task.id}" in email.body
    assert "https://boundary.example.org/account" in email.body and "Line Manager" in email.body
    for personal in ("Sam Jones", "M-77", "Shouted"):
        assert personal not in email.subject + email.body
    with app.app_context():
        assert db.session.get(TaskRecord, task.id).notified_at == clock.now()
    link = Staff(app, "line_manager").get(f"/tasks/{task.id}")  # the link in the email works
    assert link.status_code == 200 and task.title in link.text


def test_tasks_done_before_the_worker_looked_are_not_announced(app):
    case_id = CaseSetup(app).start()
    CaseSetup(app).complete(case_id, "manager_review", "line_manager",
                            {"behaviour_unacceptable": False, "welfare_support_offered": True,
                             "decision": "no_further_action", "rationale": "A one-off"})
    announce(app)
    with app.app_context():
        titles = {e.subject for e in db.session.query(OutboundEmail)}
        pending = db.session.query(TaskRecord).filter(TaskRecord.notified_at.is_(None)).count()
    assert not any("Discuss the incident" in t for t in titles) and pending == 0


def test_turning_task_emails_off_on_the_account_page_is_respected(app):
    manager = Staff(app, "line_manager")
    page = manager.get("/account")
    assert page.status_code == 200 and 'value="line_manager@example.org"' in page.text
    assert 'href="/account"' in manager.get("/inbox").text  # reached from the name in the menu
    bad = manager.post_form("/account", {"email": "not an address", "notify_by_email": "yes"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.text
    assert "Enter an email address in the correct format" in bad.text and 'value="not an address"' in bad.text
    saved = manager.post_form("/account", {"email": " lm@office.example.org ", "notify_by_email": "no"},
                              follow_redirects=True)
    assert "Your email settings are saved." in saved.text and 'value="lm@office.example.org"' in saved.text
    with app.app_context():
        user = users.find_user(db.session, "line_manager")
        assert (user.email, user.notify_by_email) == ("lm@office.example.org", False)
    CaseSetup(app).start()
    announce(app)
    assert [e.to_address for e in emails(app, "task_arrived")] == ["all_roles@example.org"]
    manager.post_form("/account", {"notify_by_email": "yes"})  # no address: nothing can be sent
    with app.app_context():
        assert users.find_user(db.session, "line_manager").email is None


def test_an_overdue_task_is_emailed_once_to_whoever_is_working_on_it(app):
    first, second = CaseSetup(app).start(), CaseSetup(app).start()
    announce(app)
    claimed = CaseSetup(app).task(second, "manager_review")
    with app.app_context():
        with transaction(db.session):
            claims.claim(db.session, users.find_user(db.session, "all_roles"), claimed.id)
    clock.advance(timedelta(days=6))  # manager_review is due in five days
    with app.app_context():
        sweep(context())
        sweep(context())
    overdue = emails(app, "task_overdue")
    by_case = sorted((e.subject.rsplit(" ", 1)[-1], e.to_address) for e in overdue)
    assert by_case == [(f"B-{first:06d}", "all_roles@example.org"), (f"B-{first:06d}", "line_manager@example.org"),
                       (f"B-{second:06d}", "all_roles@example.org")]
    assert overdue[0].subject.startswith("Overdue: ") and "It was due on 7 March 2026 at 09:00" in overdue[0].body
    assert "Sam Jones" not in overdue[0].body


def test_the_worker_emails_a_new_task_through_the_smtp_server(tmp_path, smtp, smtp_port):
    from service.worker import run
    app = mail_app(tmp_path, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=smtp_port)
    try:
        change_user(app, "all_roles", notify_by_email=False)
        CaseSetup(app).start()
        run(app, once=True)
        [message] = smtp.received
        assert message["To"] == "line_manager@example.org" and message["Auto-Submitted"] == "auto-generated"
        assert message["Subject"].startswith("A task is waiting for you: ")
        assert [e.status for e in emails(app, "task_arrived")] == ["sent"]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
