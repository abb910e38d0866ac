"""Helpers for letter tests: find a case's letter, issue it, read a PDF's text."""
from __future__ import annotations

import io

from pypdf import PdfReader

from service.domain.core.transaction import transaction
from service.domain.correspondence import letter_issue
from service.domain.people.users import find_user
from service.extensions import db
from service.models import Letter
from service.services import context


def letter_named(case_id: int, name: str) -> Letter:
    return db.session.query(Letter).filter_by(case_id=case_id, name=name).order_by(Letter.id.desc()).first()


def issue(case_id: int, name: str, data: dict, username: str = "case_officer") -> Letter:
    letter = letter_named(case_id, name)
    with transaction(db.session):
        issued = letter_issue.issue(context(), find_user(db.session, username), case_id, letter.id, data)
    return issued


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with its lines joined, as a reader (or a screen reader) gets it."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
