"""API tokens made and revoked in the workspace and by `flask users token`; the reference page from the document."""
import re

from sqlalchemy import select

from events_app.api import tokens
from events_app.api.models import ApiToken
from tests.api.conftest import bearer
from tests.conftest import Auth, csrf_token, submit

TOKEN_RE = re.compile(r"<code class=\"token\">(ea_[A-Za-z0-9_-]+)</code>")


def test_make_a_token_see_it_once_use_it_and_revoke_it(client, make_event, db):
    auth = Auth(client)
    auth.login("organiser")
    event = make_event()
    made = submit(client, "/manage/api/tokens", {"name": "partner site", "scope": "write", "event": event.slug})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    secret = TOKEN_RE.search(made.get_data(as_text=True)).group(1)
    assert secret not in client.get("/manage/api/tokens").get_data(as_text=True)  # shown once
    stored = db.session.scalar(select(ApiToken))
    assert (stored.scope, stored.event_id, stored.name) == ("write", event.id, "partner site")
    assert client.get("/api/v1/events", headers=bearer(secret)).json["items"][0]["slug"] == event.slug

    page = client.get("/manage/api/tokens").get_data(as_text=True)
    revoked = client.post(f"/manage/api/tokens/{stored.id}/revoke", data={"csrf_token": csrf_token(page)})
    assert revoked.status_code == 303
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 401


def test_others_tokens_cannot_be_revoked_but_admins_see_and_revoke_all(client, auth, team, make_token, db):
    make_token(team["staff"], "checkin")
    theirs = db.session.scalar(select(ApiToken))
    auth.login("organiser")
    page = client.get("/manage/api/tokens").get_data(as_text=True)
    assert theirs.prefix not in page
    assert client.post(f"/manage/api/tokens/{theirs.id}/revoke",
                       data={"csrf_token": csrf_token(page)}).status_code == 404
    auth.logout()
    auth.login("admin")
    every = client.get("/manage/api/tokens?all=1").get_data(as_text=True)
    assert theirs.prefix in every and team["staff"].email in every
    client.post(f"/manage/api/tokens/{theirs.id}/revoke", data={"csrf_token": csrf_token(every)})
    db.session.expire_all()
    assert db.session.get(ApiToken, theirs.id).revoked_at is not None


def test_a_token_for_an_event_without_a_role_there_is_refused(client, outsider, make_event, db):
    event = make_event()
    auth = Auth(client)
    auth.login("staff")
    forged = submit(client, "/manage/api/tokens", {"scope": "read", "event": "no-such-event"})
    assert forged.status_code == 400 and db.session.scalar(select(ApiToken)) is None
    try:  # and the service refuses an event outside the user's roles, whoever asks
        tokens.issue(outsider, event=event)
    except tokens.TokenRefused as error:
        assert "holds no role" in str(error)
    else:
        raise AssertionError("a token for an event of nobody's role was made")


def test_the_workspace_links_to_the_api_pages(client):
    Auth(client).login("staff")
    html = client.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/api/tokens"' in html and 'href="/manage/api"' in html


def test_tokens_pages_need_sign_in(client):
    assert client.get("/manage/api/tokens").status_code == 302
    assert client.get("/manage/api").status_code == 302


def test_reference_page_is_drawn_from_the_document(client):
    Auth(client).login("staff")
    page = client.get("/manage/api")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for operation_id in ("createRegistration", "createCheckIn", "batchCheckIns", "printBadges"):
        assert f'id="{operation_id}"' in html
    assert "<script" not in html.split("</header>", 1)[1] and "style=" not in html
    assert "cdn" not in html.lower()


def test_flask_users_token_prints_a_token_once(app, db, team, make_event):
    event = make_event()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "token", team["organiser"].email, "--scope", "checkin",
                                 "--event", event.slug])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == tokens.digest(secret) and stored.scope == "checkin" and stored.event_id == event.id
    refused = runner.invoke(args=["users", "token", "nobody@example.org"])
    assert refused.exit_code != 0 and "no user" in refused.output
    wrong = runner.invoke(args=["users", "token", team["organiser"].email, "--scope", "admin"])
    assert wrong.exit_code != 0
