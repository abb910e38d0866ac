"""Moving cases along through the domain, so a test (web or browser) can start at any stage."""
from __future__ import annotations

from service.domain.casework import cases, tasks
from service.domain.core.transaction import transaction
from service.domain.people.users import find_user
from service.extensions import db
from service.models import TaskRecord
from service.services import context

INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "M-1", "incident_date": "2026-03-01",
            "channel": "telephone", "behaviour_types": ["unreasonable_demands"], "description": "Shouted",
            "postal_address": "12 Elm Street\nAnytown", "email": "sam@example.org"}
REVIEW = {"behaviour_unacceptable": True, "welfare_support_offered": True, "decision": "address_behaviour",
          "rationale": "A pattern"}
CAUSES = {**{k: "yes" for k in ["process_explained", "handled_proportionately", "communicated_regularly",
                                "support_offered", "rationale_given"]}, "additional_needs_identified": False}
WARNING = {"behaviour_summary": "Abuse of staff", "requested_changes": ["no_abuse_tolerated"],
           "consequences": "A contact strategy", "delivery": ["post"]}


class CaseSetup:
    """Moves cases along through the domain (fast), so a test can start at any stage."""

    def __init__(self, app):
        self.app = app

    def _as(self, username, call):
        with self.app.app_context():
            with transaction(db.session):
                result = call(context(), find_user(db.session, username))
                return getattr(result, "id", result)

    def start(self, username="case_officer", **fields) -> int:
        return self._as(username, lambda ctx, user: cases.start_case(ctx, user, {**INCIDENT, **fields}))

    def task(self, case_id, element_id) -> TaskRecord:
        with self.app.app_context():
            task = db.session.query(TaskRecord).filter_by(case_id=case_id, element_id=element_id,
                                                          status="ready").one()
            db.session.expunge(task)
            return task

    def complete(self, case_id, element_id, username, data):
        task_id = self.task(case_id, element_id).id
        return self._as(username, lambda ctx, user: tasks.complete_task(ctx, user, task_id, data))

    def send(self, case_id, name, data, username="case_officer"):
        return self._as(username, lambda ctx, user: cases.send_message(ctx, user, case_id, name, data))

    def to_monitoring(self, delivery: tuple[str, ...] = ("post",), **fields) -> int:
        """A case past its warning, the letter issued ``delivery`` (to the incident's contact details)."""
        case_id = self.start(**fields)
        self.complete(case_id, "manager_review", "line_manager", REVIEW)
        self.complete(case_id, "check_underlying_causes", "case_officer", CAUSES)
        self.complete(case_id, "issue_warning", "case_officer", {**WARNING, "delivery": list(delivery)})
        return case_id

    def with_draft_warning(self) -> int:
        """A case in monitoring whose warning letter is a draft, as the release before tasks issued their
        letters left it, and no contact details recorded: the case page's issue form is the way out."""
        from service.domain.correspondence import letters
        from service.models import Case, ContactDetails, Letter
        case_id = self.to_monitoring()
        with self.app.app_context():
            with transaction(db.session):
                db.session.query(Letter).filter_by(case_id=case_id).delete()
                db.session.query(ContactDetails).filter_by(case_id=case_id).delete()
                letters.produce(db.session, context().settings, db.session.get(Case, case_id), "warning_letter",
                                WARNING, self.task_id(case_id, "issue_warning"), "case_officer")
        return case_id

    def task_id(self, case_id, element_id) -> str:
        with self.app.app_context():
            return db.session.query(TaskRecord.id).filter_by(case_id=case_id, element_id=element_id).scalar()

    def to_strategy_proposal(self, **fields) -> int:
        """Abusive behaviour may skip the warning (CLE 4.6); its police consideration stays open."""
        case_id = self.start(**{"behaviour_types": ["verbal_abuse"], **fields})
        self.complete(case_id, "manager_review", "line_manager", {**REVIEW, "decision": "contact_strategy_now"})
        return case_id
