"""flask commands of INTERFACES.md: demo, users, events, and each domain's own group."""
import sys
from datetime import date

import click
from flask.cli import AppGroup, with_appcontext

from events_app.auth.services import UserError, create_user, find_user
from events_app.choices import EventRole, Status, UserRole
from events_app.events import access
from events_app.events.services import EventError, all_events, create_event, find_event
from events_app.extensions import db
from events_app.registration.capacity import status_counts

users_cli = AppGroup("users", help="Manage workspace users.")
privacy_cli = AppGroup("privacy", help="Erase personal data past its retention time.")
events_cli = AppGroup("events", help="Create and list events.")


def add_commands(app) -> None:
    """Attach every command group to the app; a refusal by any of our commands is one line."""
    from events_app.backup import backup_cli, keys_cli
    from events_app.delegate_files.cli import delegates_cli
    from events_app.documents.cli import documents_cli
    from events_app.mail.cli import mail_cli

    app.cli.add_command(demo_command)
    for group in (users_cli, events_cli, delegates_cli, documents_cli, mail_cli, privacy_cli, backup_cli,
                  keys_cli):
        app.cli.add_command(group)
    for command in _our_commands(app.cli):
        command.callback = _one_line_errors(command.callback)


def _our_commands(group):
    """Every command of events_app in the group and its sub-groups (not Flask's own, like `db`)."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            yield from _our_commands(command)
        elif command.callback is not None and getattr(command.callback, "__module__", "").startswith("events_app"):
            yield command


def _one_line_errors(callback):
    """A domain's refusal (an unknown event, a rule broken) or a database without its tables is one
    line on stderr and a non-zero exit, not a traceback."""
    import functools

    from sqlalchemy.exc import OperationalError, ProgrammingError

    if getattr(callback, "_one_line_errors", False):
        return callback

    @functools.wraps(callback)
    def wrapped(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except EventError as error:
            raise click.ClickException(str(error)) from error
        except (OperationalError, ProgrammingError) as error:
            text = str(error.orig)
            if "no such table" in text or "does not exist" in text:
                raise click.ClickException(
                    "the database has no tables yet (or is behind): run `flask --app wsgi db upgrade` first"
                ) from error
            if "unable to open database" in text or "could not connect" in text or "Connection refused" in text:
                raise click.ClickException(f"cannot reach the database: {text.splitlines()[0]}") from error
            raise

    wrapped._one_line_errors = True
    return wrapped


@click.command("demo")
@click.option("--scale", type=click.IntRange(min=1, max=1_000_000), default=None, metavar="N",
              help="Also fill events scale-01, scale-02, … with N registrations in all (for benchmarks).")
@with_appcontext
def demo_command(scale: int | None):
    """Load the demo symposium with multilingual delegates (idempotent)."""
    from events_app.demo import DEMO_ORGANISER, DEMO_PASSWORD, DEMO_SLUG, load_demo

    created = load_demo()
    db.session.commit()
    click.echo(
        f"Demo event {DEMO_SLUG}: {'created' if created['event'] else 'already there'}; "
        f"{created['delegates']} delegates added."
    )
    if scale:
        from events_app.demo_scale import load_scale

        report = load_scale(scale)
        db.session.commit()
        click.echo(f"Scale events: {report.events}; {report.added} registrations added, {report.total} in all.")
    click.echo(f"Organiser login: {DEMO_ORGANISER} / {DEMO_PASSWORD}")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in UserRole]), required=True)
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, name: str, password_stdin: bool):
    """Create a user with a role."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password=password, role=role, name=name)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}")


@users_cli.command("grant")
@click.argument("email")
@click.argument("event_slug", metavar="EVENT")
@click.option("--role", required=True, help="organiser, staff or rapporteur at this event.")
def users_grant(email: str, event_slug: str, role: str):
    """Give a user a role at one event (replacing the role they had there)."""
    if role not in {r.value for r in EventRole}:
        raise click.ClickException(f"unknown role {role!r}: choose organiser, staff or rapporteur")
    user, event = _user_and_event(email, event_slug)
    access.grant(user, event, role)
    db.session.commit()
    click.echo(f"{user.email} is now {role} at {event.slug}")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("event_slug", metavar="EVENT")
def users_revoke(email: str, event_slug: str):
    """Take away a user's role at one event."""
    user, event = _user_and_event(email, event_slug)
    try:
        access.revoke(user, event)
    except access.AccessError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} no longer has a role at {event.slug}")


@users_cli.command("token")
@click.argument("email")
@click.option("--scope", type=click.Choice(["read", "write", "checkin"]), default="read", show_default=True)
@click.option("--event", "event_slug", metavar="EVENT", default=None, help="Limit the token to this event.")
@click.option("--name", default="", help="Where the token is used (shown in the workspace's token list).")
def users_token(email: str, scope: str, event_slug: str | None, name: str):
    """Print a new API token for the user (shown once: only its hash is stored)."""
    from events_app.api import tokens

    user, event = _user_and_event(email, event_slug) if event_slug else (find_user(email), None)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    try:
        _token, secret = tokens.issue(user, scope=scope, event=event, name=name or "command line")
    except tokens.TokenRefused as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(secret)


def _user_and_event(email: str, event_slug: str):
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    event = find_event(event_slug)
    if event is None:
        raise click.ClickException(f"no event with the slug {event_slug!r} (see `flask events list`)")
    return user, event


def _parse_date(_ctx, param, value):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from error


@events_cli.command("create")
@click.argument("slug")
@click.option("--title", required=True)
@click.option("--starts", required=True, callback=_parse_date, help="First day, YYYY-MM-DD.")
@click.option("--ends", required=True, callback=_parse_date, help="Last day, YYYY-MM-DD.")
@click.option("--capacity", type=int, default=None, help="Places for approved delegates (0-100000).")
@click.option("--approval", is_flag=True, help="Registrations wait for an organiser's approval.")
@click.option("--invitation-only", is_flag=True, help="Only invitees may register.")
@click.option("--venue", default="")
@click.option("--city", default="")
@click.option("--timezone", default="Asia/Bangkok")
def events_create(slug, title, starts, ends, capacity, approval, invitation_only, venue, city, timezone):
    """Create an event, open for registration now (the same rules as the web form)."""
    event = create_event(
        slug, title=title, starts_on=starts, ends_on=ends, capacity=capacity, approval_required=approval,
        invitation_only=invitation_only, venue=venue, city=city, timezone=timezone,
    )
    db.session.commit()
    click.echo(f"Created event {event.slug}: {event.title} ({event.starts_on} to {event.ends_on})")


@events_cli.command("list")
def events_list():
    """Slugs, dates, capacity and counts by status."""
    events = all_events()
    if not events:
        click.echo("No events yet. Create one with: flask events create SLUG --title ... --starts ... --ends ...")
        return
    header = ["slug", "starts", "ends", "capacity"] + [s.value for s in Status]
    click.echo("\t".join(header))
    for event in events:
        counts = status_counts(event.id)
        cells = [event.slug, str(event.starts_on), str(event.ends_on), str(event.capacity or "-")]
        click.echo("\t".join(cells + [str(counts[s]) for s in Status]))


@privacy_cli.command("purge")
@click.option("--visa-days", type=click.IntRange(min=0), default=None,
              help="Erase passport details this many days after an event ends (default PRIVACY_VISA_DAYS).")
@click.option("--mail-days", type=click.IntRange(min=1), default=None,
              help="Blank the text of email sent this many days ago (default PRIVACY_MAIL_DAYS).")
def privacy_purge(visa_days, mail_days):
    """Erase data past its retention time (run daily from cron)."""
    from flask import current_app

    from events_app.privacy import purge

    config = current_app.config
    report = purge(visa_days_after_event=config["PRIVACY_VISA_DAYS"] if visa_days is None else visa_days,
                   mail_days=mail_days or config["PRIVACY_MAIL_DAYS"])
    db.session.commit()
    click.echo(f"Erased passport details of {report.passports_erased} registrations; "
               f"blanked {report.emails_blanked} sent emails.")
