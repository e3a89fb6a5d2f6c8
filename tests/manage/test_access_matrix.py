"""Every workspace route with an event in its URL, walked from app.url_map: a rule added later is covered too.

The organiser, staff and rapporteur of event A get 404 for every page, file and action of event B and change
nothing; staff and rapporteurs of A get 403 on A's pages that are not for their role; admins are let in
everywhere. A registrant's private link opens their own pages only: with it, another event's ids are unknown,
and the workspace asks them to sign in.
"""
import hashlib

import pytest
from sqlalchemy import text

from events_app.auth.services import create_user
from events_app.choices import EventRole, JobStatus, UserRole
from events_app.events import access, settings
from events_app.events.services import find_event
from events_app.extensions import db as _db
from events_app.jobs.models import Job
from events_app.jobs.services import new_result_path
from events_app.manage.dashboard_figures import dashboard
from events_app.recommendations import services as recommendations
from tests.conftest import PASSWORD, csrf_token, submit
from tests.manage.test_event_settings import event_data

WORKSPACE_PREFIXES = ("/manage/", "/checkin/")
PUBLIC_ENDPOINTS = {"events.event_page"}  # rules with <slug> anyone may open


def event_rules(app):
    """(rule, methods) of every workspace rule with <slug>, GET and POST only."""
    rules = [rule for rule in app.url_map.iter_rules() if "slug" in rule.arguments]
    workspace = [rule for rule in rules if rule.rule.startswith(WORKSPACE_PREFIXES)]
    assert len(workspace) > 20, "the walk found the workspace's routes"
    return [(rule, sorted(rule.methods & {"GET", "POST"})) for rule in workspace]


def fingerprint() -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    for table in _db.metadata.sorted_tables:
        rows = _db.session.execute(text(f"SELECT * FROM {table.name}")).all()  # noqa: S608 - our table names
        digest.update(repr(sorted(map(repr, rows))).encode())
    _db.session.rollback()
    return digest.hexdigest()


@pytest.fixture()
def events(db, make_event, make_registration):
    """Event A and event B, each with a delegate, a quota, a question and a logo."""
    made = {}
    for name in "ab":
        event = make_event(slug=f"event-{name}", approval_required=True)
        registration = make_registration(event)
        quota = settings.add_quota(event, kind="country", value="TH", places=5)
        question = settings.add_question(event, key="workshop", label="Workshop", kind="text")
        event.logo, event.logo_content_type = b"\x89PNG\r\n\x1a\n", "image/png"
        recommendations.save_settings(event, theme_names=["Health"], addressee_names=["ASEAN"], preamble="",
                                      endorsement_open=False)
        recommendation = recommendations.draft(event, by=None, theme_id=recommendations.themes(event)[0].id,
                                               addressee_ids=[recommendations.addressees(event)[0].id],
                                               text="Ensure access to health care.")
        result = new_result_path(".csv")
        result.write_text("full_name\n", encoding="utf-8")
        job = Job(kind="export", event_id=event.id, params={}, status=JobStatus.DONE, done=1, total=1,
                  result={"file": result.name, "filename": "export.csv", "content_type": "text/csv"})
        db.session.add(job)
        db.session.commit()
        made[name] = {"event": event, "registration_id": registration.id, "quota_id": quota.id,
                      "question_id": question.id, "rec_id": recommendation.id, "job_id": job.id,
                      "token": registration.token}
    return made


def person(db, client, email: str, role: UserRole, *, at=None, event_role: EventRole | None = None):
    """Make a user (with a role at one event), and sign in as them."""
    user = create_user(email, password=PASSWORD, role=role)
    if at is not None:
        access.grant(user, at, event_role)
    db.session.commit()
    assert submit(client, "/auth/login", {"email": email, "password": PASSWORD}).status_code == 302
    return user


def url_for_event(rule, made: dict) -> str:
    """The rule's URL for one event, with the ids of that event's own delegate, quota and question."""
    values = {"slug": made["event"].slug}
    for name in rule.arguments - {"slug"}:
        if name == "figure":
            values[name] = dashboard(made["event"])[0].key
        elif name == "action":
            values[name] = "approve"
        elif name == "kind":
            values[name] = "pdf"
        elif name == "token":
            values[name] = "x" * 32  # an upload that does not exist: the event check comes first
        else:
            values[name] = made[name]
    return rule.build(values)[1]


def test_every_workspace_route_of_an_event_checks_the_role_there(app):
    for rule, _methods in event_rules(app):
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "event_roles", None), f"{rule.rule} is not guarded by event_view"
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if "slug" in rule.arguments and not rule.rule.startswith(WORKSPACE_PREFIXES)}
    # The API's routes check the token's events themselves: tests/api/test_auth.py walks them the same way.
    assert all(endpoint.startswith(("events.", "registration.", "api.")) for endpoint in public), public


@pytest.mark.parametrize("role", [EventRole.ORGANISER, EventRole.STAFF, EventRole.RAPPORTEUR])
def test_the_team_of_one_event_gets_404_everywhere_in_another(app, db, client, events, role):
    person(db, client, "ana@a.example", UserRole(role.value), at=events["a"]["event"], event_role=role)
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    before = fingerprint()
    answers = {}
    for rule, methods in event_rules(app):
        url = url_for_event(rule, events["b"])
        if "GET" in methods:
            answers[f"GET {url}"] = client.get(url).status_code
        if "POST" in methods:
            answers[f"POST {url}"] = client.post(url, data={"csrf_token": token, "action": "approve"}).status_code
    db.session.rollback()
    assert {call: code for call, code in answers.items() if code != 404} == {}
    assert fingerprint() == before, "a refused request changed the database"
    own = "/manage/events/event-a/recommendations" if role == EventRole.RAPPORTEUR else "/manage/events/event-a/"
    assert client.get(own).status_code == 200  # and A's own pages still open


@pytest.mark.parametrize("role, own_page", [(EventRole.STAFF, "/checkin/event-a"),
                                            (EventRole.RAPPORTEUR, "/manage/events/event-a/recommendations")])
def test_staff_and_rapporteurs_get_403_on_the_other_pages_of_their_own_event(app, db, client, events, role,
                                                                             own_page):
    person(db, client, "sok@a.example", UserRole(role.value), at=events["a"]["event"], event_role=role)
    token = csrf_token(client.get(own_page).get_data(as_text=True))
    not_theirs = [(rule, methods) for rule, methods in event_rules(app)
                  if role not in app.view_functions[rule.endpoint].event_roles]
    assert not_theirs, "some pages are not for this role"
    before = fingerprint()
    refused = {}
    for rule, methods in not_theirs:
        url = url_for_event(rule, events["a"])
        if "GET" in methods:
            refused[f"GET {url}"] = client.get(url).status_code
        if "POST" in methods:
            refused[f"POST {url}"] = client.post(url, data={"csrf_token": token}).status_code
    db.session.rollback()
    assert {call: code for call, code in refused.items() if code != 403} == {}
    assert fingerprint() == before
    assert client.get(own_page).status_code == 200
    assert client.get(own_page.replace("event-a", "event-b")).status_code == 404


def private_rules(app):
    """(rule, methods) of every registrant's page: /r/<token>/…, GET and POST only."""
    rules = [(rule, sorted(rule.methods & {"GET", "POST"})) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/r/<token>")]
    assert len(rules) > 5, "the walk found the private pages"
    return rules


def test_a_registrants_link_opens_nothing_of_another_registrant_or_the_workspace(app, db, client, events):
    """Holding A's private link (and B's ids, as someone who saw B's page might), nothing of B opens."""
    own = events["a"]["token"]
    assert client.get(f"/r/{own}").status_code == 200
    token = csrf_token(client.get(f"/r/{own}/edit").get_data(as_text=True))
    before = fingerprint()
    answers = {}
    for rule, methods in private_rules(app):
        if rule.arguments == {"token"}:
            continue  # the link itself is the key: only B's own token opens B's pages (below)
        url = rule.build({"token": own, "rec_id": events["b"]["rec_id"]})[1]
        for method in methods:
            answers[f"{method} {url}"] = client.open(url, method=method, data={"csrf_token": token}).status_code
    for rule, methods in private_rules(app):
        url = rule.build({"token": own[:-4] + "xxxx", "rec_id": events["b"]["rec_id"]})[1]
        for method in methods:
            answers[f"{method} {url} (a guessed link)"] = client.open(url, method=method,
                                                                     data={"csrf_token": token}).status_code
    db.session.rollback()
    assert {call: code for call, code in answers.items() if code != 404} == {}
    assert fingerprint() == before
    workspace = {}
    for rule, methods in event_rules(app):
        if "GET" in methods:
            code = client.get(url_for_event(rule, events["a"])).status_code
            if code not in (302, 401):
                workspace[rule.rule] = code
    assert workspace == {}, "a registrant reached the workspace"


def test_admins_open_every_page_of_every_event(app, db, client, events):
    person(db, client, "root@example.org", UserRole.ADMIN)
    refused = {}
    for rule, methods in event_rules(app):
        if "GET" in methods:
            url = url_for_event(rule, events["b"])
            code = client.get(url).status_code
            if code in (403, 404):
                refused[url] = code
    assert refused == {}


def test_the_workspace_lists_only_ones_own_events(db, client, events):
    person(db, client, "ana@a.example", UserRole.ORGANISER, at=events["a"]["event"], event_role=EventRole.ORGANISER)
    page = client.get("/manage/").get_data(as_text=True)
    assert events["a"]["event"].title in page and events["b"]["event"].title not in page


def test_creating_an_event_makes_its_creator_its_organiser_and_staff_may_not(db, client, auth):
    auth.login("staff")
    assert client.get("/manage/events/new").status_code == 403
    auth.logout()
    user = person(db, client, "new@example.org", UserRole.ORGANISER)
    response = submit(client, "/manage/events/new", event_data(slug="mekong-2028"))
    assert response.status_code == 302
    assert access.role_at(user, find_event("mekong-2028").id) == EventRole.ORGANISER
    assert client.get("/manage/events/mekong-2028/settings").status_code == 200
