"""A real SMTP server on loopback (aiosmtpd) and an app on the shipped workflows that mails through it
(helpers in tests/mail_support.py)."""
from __future__ import annotations

import pytest

from helpers import released
from mail_support import SmtpServer, free_port, mail_app


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    server = SmtpServer(smtp_port).start()
    yield server
    server.stop()


@pytest.fixture
def app_with_smtp(tmp_path, smtp_port):
    """Sends to 127.0.0.1:``smtp_port``, whether or not a server listens there (``smtp`` starts one).
    No app context stays pushed, so signed-in test clients each get their own (see tests/web_support.py)."""
    with released(mail_app(tmp_path, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=smtp_port), pushed=False) as app:
        yield app


@pytest.fixture
def app(tmp_path):
    """No SMTP server: emails stay in the outbox."""
    with released(mail_app(tmp_path), pushed=False) as app:
        yield app
