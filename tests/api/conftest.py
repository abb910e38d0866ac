import pytest

from api_support import INCIDENT


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
