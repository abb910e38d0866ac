"""Command line: ``flask --app service <command>``."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .domain.core.transaction import transaction
from .domain.definitions.versions import deploy, deploy_shipped
from .domain.people import users
from .errors import BoundaryError
from .extensions import db
from .services import context


def register_cli(app: Flask) -> None:
    for command in (setup, create_user, grant_role, revoke_role, set_password, deactivate_user, issue_token,
                    revoke_tokens, deploy_command, worker_command, retention_command,
                    check_letter):
        app.cli.add_command(command)
    from .dev_cli import fast_forward_command
    app.cli.add_command(fast_forward_command)


def _fail(error: BoundaryError):
    fields = getattr(error, "fields", {}) or {}
    detail = "".join(f"\n  {k}: {'; '.join(v)}" for k, v in fields.items())
    raise click.ClickException(error.message + detail)


def create_schema() -> None:
    """Tests only: build the schema straight from the models (a test proves the
    migrations produce the same schema). Installs use ``upgrade_schema``."""
    db.create_all()


def upgrade_schema() -> None:
    """Create or upgrade the database through the Alembic migrations."""
    from flask_migrate import upgrade
    upgrade()


def shipped_workflows(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(Path(folder).glob("*.bpmn"))}


@click.command("setup")
@with_appcontext
@click.option("--force-workflows", is_flag=True, help="Deploy the shipped workflows even over a process owner's version.")
def setup(force_workflows):
    """Create or upgrade the database, deploy the shipped workflows if they changed, add demo users (development).

    A version a process owner deployed stays current; ``--force-workflows`` deploys the shipped files over it.
    """
    upgrade_schema()
    try:
        with transaction(db.session):
            files = shipped_workflows(current_app.config["WORKFLOWS_DIR"])
            shipped = deploy_shipped(context(), files, force=force_workflows) if files else None
            created = users.seed_demo_users(db.session) if current_app.config["DEMO_USERS"] else []
    except BoundaryError as error:
        _fail(error)
    click.echo(shipped.message if shipped else "No shipped workflows to deploy.")
    if created:
        click.echo(f"Demo users (password '{users.DEMO_PASSWORD}'): {', '.join(created)}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, help="A role key; repeat for several.")
@click.option("--name", "display_name", default=None)
@click.option("--email", default=None)
def create_user(username, password, roles, display_name, email):
    """Create a user with roles."""
    try:
        with transaction(db.session):
            users.create_user(db.session, username, password, roles, display_name, email)
    except BoundaryError as error:
        _fail(error)
    click.echo(f"Created {username} with roles: {', '.join(roles) or 'none'}.")


@click.command("grant-role")
@with_appcontext
@click.argument("username")
@click.argument("roles", nargs=-1, required=True)
def grant_role(username, roles):
    """Give a user more roles."""
    try:
        with transaction(db.session):
            users.grant_roles(users.find_user(db.session, username), roles)
    except BoundaryError as error:
        _fail(error)
    click.echo(f"{username} now holds: {', '.join(roles)}.")


@click.command("revoke-role")
@with_appcontext
@click.argument("username")
@click.argument("roles", nargs=-1, required=True)
def revoke_role(username, roles):
    """Take roles away from a user; their signed-in sessions end."""
    _change_user(username, lambda user: users.revoke_roles(user, roles), f"{username} no longer holds: {', '.join(roles)}.")


@click.command("set-password")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(username, password):
    """Give a user a new password; their sessions and API tokens end."""
    _change_user(username, lambda user: users.set_password(db.session, user, password),
                 f"{username} has a new password; their sessions and tokens are ended.")


@click.command("deactivate-user")
@with_appcontext
@click.argument("username")
def deactivate_user(username):
    """Stop a user signing in; their sessions and API tokens end at once."""
    _change_user(username, lambda user: users.deactivate(db.session, user),
                 f"{username} is deactivated; their sessions and tokens are ended.")


@click.command("revoke-tokens")
@with_appcontext
@click.argument("username")
def revoke_tokens(username):
    """End every API token of a user (e.g. one that leaked)."""
    counted = []
    _change_user(username, lambda user: counted.append(users.revoke_tokens(db.session, user)), None)
    click.echo(f"Ended {counted[0]} token(s) of {username}.")


def _change_user(username, change, done: str | None) -> None:
    try:
        with transaction(db.session):
            change(users.find_user(db.session, username))
    except BoundaryError as error:
        _fail(error)
    if done:
        click.echo(done)


@click.command("issue-token")
@with_appcontext
@click.argument("username")
def issue_token(username):
    """Print a new API token for a user."""
    try:
        with transaction(db.session):
            token = users.issue_token(db.session, users.find_user(db.session, username),
                                      current_app.config["TOKEN_LIFETIME_HOURS"])
    except BoundaryError as error:
        _fail(error)
    click.echo(token)


@click.command("deploy")
@with_appcontext
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", default="")
def deploy_command(paths, note):
    """Validate BPMN files and deploy them as a new version."""
    try:
        with transaction(db.session):
            version = deploy(context(), {p.name: p.read_bytes() for p in paths}, "cli", note)
    except BoundaryError as error:
        _fail(error)
    click.echo(f"Deployed {version.label}.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Sweep once and stop.")
def worker_command(once):
    """Fire due timers, forever (or once)."""
    from .worker import run
    run(current_app._get_current_object(), once=once)  # type: ignore[attr-defined]  # the app behind the proxy


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List the closed cases past their retention period; change nothing.")
def retention_command(dry_run):
    """Purge closed cases past BOUNDARY_RETENTION_PERIOD (the worker also does this every hour)."""
    from .domain.data_protection import retention
    ctx = context()
    if dry_run:
        due = retention.due(db.session, ctx.settings)
        for item in due:
            click.echo(f"case {item.case_id}\t{item.status}\tclosed {item.closed_at:%Y-%m-%d}\t{item.outcome or ''}")
        click.echo(f"{len(due)} case(s) closed before {retention.cutoff(ctx.settings):%Y-%m-%d} would be purged.")
        return
    purged = []
    while batch := retention.purge_due(ctx):
        purged += batch
    click.echo(f"Purged {len(purged)} case(s).")


@click.command("check-letter")
@with_appcontext
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_letter(pdf):
    """Say whether a PDF is, byte for byte, a letter Boundary issued (by its SHA-256)."""
    from .domain.correspondence.letter_issue import matching
    letter = matching(context(), pdf.read_bytes())
    if letter is None:
        raise click.ClickException("No issued letter has this fingerprint: this is not a copy of a letter as sent.")
    click.echo(f"Letter {letter.id} on case {letter.case_id}: {letter.title}, issued {letter.issued_at:%d %B %Y %H:%M} "
               f"by {letter.issued_by} ({letter.channels}).")
