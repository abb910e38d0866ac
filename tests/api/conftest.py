import pytest

INCIDENT = {"service_user_name": "Alex Smith", "matter_reference": "M-100", "incident_date": "2026-03-01",
            "wait_period": "P1D"}


@pytest.fixture
def officer(as_user):
    return as_user("case_officer")


@pytest.fixture
def new_case(officer):
    def start(**fields):
        response = officer.post("/api/v1/cases", json={**INCIDENT, **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return start
