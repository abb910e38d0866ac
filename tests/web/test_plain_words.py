"""People by their names and data in the words of its forms, never usernames or Python reprs (issue #21, item 9)."""
from __future__ import annotations

import re

from web_support import main_text


def test_the_contact_log_names_who_logged_each_contact(staff, setup):
    case_id = setup.start()
    officer = staff("case_officer")
    done = officer.post_form(f"/cases/{case_id}/contacts/new", {
        "contact_date-day": "1", "contact_date-month": "3", "contact_date-year": "2026", "channel": "telephone",
        "summary": "Asked about the complaint"}, follow_redirects=True)
    log = re.search(r'id="contact-log".*?</table>', done.text, re.S).group(0)
    assert "Demo Case Officer" in log and ">case_officer<" not in log


def test_the_monitoring_page_shows_current_data_in_the_forms_words(staff, setup):
    case_id = setup.to_strategy_proposal(behaviour_types=["verbal_abuse", "threats"])
    page = staff("supervisor").get(f"/monitoring/cases/{case_id}")
    current = main_text(page)[main_text(page).index("Current data"):]
    assert "What behaviour was shown? Verbal abuse, Threats" in current
    assert "Discuss the incident and decide what happens next" in current  # grouped under the task that decided
    assert "Was the behaviour unacceptable? Yes" in current
    for repr_ in ("['verbal_abuse'", "True", "False", "{'", "verbal_abuse"):
        assert repr_ not in current, repr_
    assert "<div data-current-data>" in page.text
    assert "Monitoring period 3 months" in current  # a period the process keeps, in words
