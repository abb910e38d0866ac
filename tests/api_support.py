"""The API tests' incident: the fields a case is started with over /api/v1/cases."""

INCIDENT = {"service_user_name": "Alex Smith", "matter_reference": "M-100", "incident_date": "2026-03-01",
            "wait_period": "P1D"}
