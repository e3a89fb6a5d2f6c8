"""flask users grant/revoke: one line on success, one line on stderr and exit 1 for what is unknown."""
import pytest

from events_app.auth.services import create_user
from events_app.choices import EventRole, UserRole
from events_app.events import access


@pytest.fixture()
def cli(app, db):
    return app.test_cli_runner()


@pytest.fixture()
def lan(db):
    user = create_user("lan@example.org", password="a long password", role=UserRole.STAFF)
    db.session.commit()
    return user


def test_grant_then_revoke(cli, db, lan, make_event):
    event = make_event()
    granted = cli.invoke(args=["users", "grant", "Lan@Example.org", event.slug, "--role", "staff"])
    assert granted.exit_code == 0 and granted.output == f"lan@example.org is now staff at {event.slug}\n"
    assert access.role_at(lan, event.id) == EventRole.STAFF
    revoked = cli.invoke(args=["users", "revoke", "lan@example.org", event.slug])
    assert revoked.exit_code == 0 and revoked.output == f"lan@example.org no longer has a role at {event.slug}\n"
    assert access.role_at(lan, event.id) is None


@pytest.mark.parametrize(("args", "message"), [
    (["grant", "nobody@example.org", "{slug}", "--role", "staff"], "no user with the email nobody@example.org"),
    (["grant", "lan@example.org", "no-such-event", "--role", "staff"], "no event with the slug 'no-such-event'"),
    (["grant", "lan@example.org", "{slug}", "--role", "king"], "unknown role 'king'"),
    (["revoke", "lan@example.org", "{slug}"], "lan@example.org has no role at"),
])
def test_unknown_user_event_or_role_is_one_line_and_exit_1(cli, lan, make_event, args, message):
    event = make_event()
    result = cli.invoke(args=["users", *[a.format(slug=event.slug) for a in args]])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
