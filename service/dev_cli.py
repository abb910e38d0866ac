"""Development-only commands: ``flask --app service fast-forward CASE_ID [--days N]``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .domain.casework.demo_time import fast_forward
from .domain.core.vocabulary import case_reference
from .errors import BoundaryError
from .extensions import db
from .models import TaskRecord
from .services import context


@click.command("fast-forward")
@with_appcontext
@click.argument("case_id", type=int)
@click.option("--days", type=int, default=None,
              help="How many days to move on (default: just past the case's next timer).")
def fast_forward_command(case_id, days):
    """Development only: move one case's time forward so its next timer (a review) fires now."""
    try:
        by, fired = fast_forward(context(), case_id, days)
    except BoundaryError as error:
        raise click.ClickException(error.message) from None
    ready = db.session.query(TaskRecord).filter_by(case_id=case_id, status="ready").all()
    click.echo(f"Case {case_reference(case_id)} moved forward {by.days} days; "
               f"{'fired: ' + ', '.join(fired) if fired else 'nothing was due yet'}.")
    for task in ready:
        click.echo(f"Ready: {task.title} ({task.role})")
