"""Drive the shipped escalation process through the API, as staff would (process, letters and data
protection tests share it)."""
from __future__ import annotations

from datetime import timedelta

from helpers import ApiClient
from service.domain.casework.timers import sweep
from service.engine import clock
from service.services import context

INCIDENT = {"service_user_name": "Sam Jones", "matter_reference": "OPCC-2026-17", "incident_date": "2026-03-01",
            "channel": "telephone", "behaviour_types": ["unreasonable_demands"],
            "description": "Demanded answers within the hour.",  # no police matter: a warning comes first
            # kept as the case's contact details: every letter is addressed from them
            "postal_address": "12 Elm Street\nAnytown\nAN3 4DE", "email": "sam@example.org"}
CONFIRMATIONS = {k: True for k in ["matter_properly_considered", "communication_adequate",
                                   "access_requirements_considered", "misunderstandings_addressed",
                                   "fair_reasonable_proportionate"]}
PROPOSAL = {"objective": "Keep contact manageable", "matter_status": "ongoing", "restrictions": [{"type": "email_only", "detail": "one mailbox"}],
            "reason": "Repeated abusive calls", "proportionality": "Less restrictive steps failed",
            "fresh_matters_route": "Write to the complaints team", "review_interval": "P1M",
            "adjustments_considered": False}


class Driver:
    def __init__(self, client):
        self.client, self.users, self.case = client, {}, None

    def as_(self, username) -> ApiClient:
        if username not in self.users:
            self.users[username] = ApiClient(self.client, username)
        return self.users[username]

    def start(self, **fields):
        response = self.as_("case_officer").post("/api/v1/cases", json={**INCIDENT, **fields})
        assert response.status_code == 201, response.get_json()
        self.case = response.get_json()
        return self

    @property
    def ready(self) -> list[str]:
        return sorted(t["element_id"] for t in self.case["ready_tasks"])

    def do(self, element, user, data, status=200):
        tasks = [t for t in self.case["ready_tasks"] if t["element_id"] == element]
        assert tasks, f"{element} is not ready; ready: {self.ready}, stage {self.case['stage']}"
        response = self.as_(user).post(f"/api/v1/tasks/{tasks[0]['id']}/complete", json={"data": data})
        assert response.status_code == status, response.get_json()
        if status == 200:
            self.case = response.get_json()
        return response.get_json()

    def send(self, name, data, status=202):
        response = self.as_("case_officer").post(f"/api/v1/cases/{self.case['id']}/messages",
                                                 json={"name": name, "data": data})
        assert response.status_code == status, response.get_json()
        if status == 202:
            self.case = response.get_json()
        return response.get_json()

    def later(self, **delta):
        clock.advance(timedelta(**delta))
        self.users = {}  # tokens expire as time moves on
        sweep(context())
        self.refresh()

    def refresh(self):
        self.case = self.as_("supervisor").get(f"/api/v1/cases/{self.case['id']}").get_json()
        return self

    def letters(self) -> dict[str, str]:
        items = self.as_("supervisor").get(f"/api/v1/cases/{self.case['id']}/letters").get_json()["items"]
        return {item["name"]: item["html"] for item in items}

    @property
    def waiting(self) -> dict:
        return {w["name"]: w for w in self.case["waiting"]}

    # common stretches of the path
    def consider_police(self, report=False):
        self.do("consider_police_report", "independent_review_manager",
                {"report_to_police": report, "rationale": "Considered", **({"police_reference": "CR/1"} if report else {})})
        return self

    def to_strategy_proposal(self, **fields):
        """Abusive behaviour (the only kind that may skip the warning, CLE 4.6) goes to the police
        for consideration first (SCO 3.2), then straight to a strategy."""
        self.start(**{"behaviour_types": ["verbal_abuse"], "description": "Shouted at the officer.", **fields})
        if "consider_police_report" in self.ready:
            behaviour = {**INCIDENT, **fields}.get("behaviour_types", [])
            self.consider_police(report=bool({"threats", "violence"} & set(behaviour)))
        self.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": True,
                                                   "decision": "contact_strategy_now", "rationale": "Abusive"})
        return self

    def to_active_strategy(self, **fields):
        self.to_strategy_proposal(**fields)
        self.do("propose_contact_strategy", "case_officer", PROPOSAL)
        self.do("consult_irm", "independent_review_manager", {"decision": "endorse", "comments": "Fine"})
        self.do("authorise_contact_strategy", "authorising_officer",
                {**CONFIRMATIONS, "decision": "approve", "comments": "Approved"})
        self.do("notify_contact_strategy", "case_officer", {"delivery": ["post", "email"], "agreement_sought": False})
        return self

    def to_monitoring(self, needs: str | None = None, **fields):
        """A warning issued; ``needs``, when given, are found in the causes check (equality advice opens beside)."""
        self.start(**fields)
        self.do("manager_review", "line_manager", {"behaviour_unacceptable": True, "welfare_support_offered": False,
                                                   "decision": "address_behaviour", "rationale": "Pattern"})
        found = {"additional_needs_identified": True, "adjustments_required": needs} if needs else \
            {"additional_needs_identified": False}
        self.do("check_underlying_causes", "case_officer", {**{k: "yes" for k in [
            "process_explained", "handled_proportionately", "communicated_regularly", "support_offered",
            "rationale_given"]}, **found})
        self.do("issue_warning", "case_officer", {"behaviour_summary": "Abuse of staff",
                                                  "requested_changes": ["no_abuse_tolerated"],
                                                  "consequences": "A contact strategy", "delivery": ["post"]})
        return self
