"""Who gets in: no token, a revoked one, the wrong scope, another organiser's event, staff and contact details."""
import pytest
from sqlalchemy import select

from events_app.api import tokens
from events_app.api.models import ApiToken
from tests.api.conftest import bearer, delegate_json
from tests.conftest import Auth

API = "/api/v1"


def _error(response) -> str:
    assert set(response.json) == {"error"} and set(response.json["error"]) == {"code", "message", "fields"}
    return response.json["error"]["code"]


def test_no_token_malformed_unknown_and_revoked(client, team, make_event, make_token, db):
    event = make_event()
    url = f"{API}/events/{event.slug}"
    missing = client.get(url)
    assert missing.status_code == 401 and _error(missing) == "token_missing"
    basic = client.get(url, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401 and _error(basic) == "token_malformed"
    assert _error(client.get(url, headers=bearer("ea_not-a-real-token"))) == "token_invalid"
    secret = make_token(team["organiser"], "read")
    assert client.get(url, headers=bearer(secret)).status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.digest(secret)))
    tokens.revoke(token, by_user=team["organiser"])
    db.session.commit()
    revoked = client.get(url, headers=bearer(secret))
    assert revoked.status_code == 401 and _error(revoked) == "token_invalid"


def test_a_signed_in_session_is_not_an_api_credential(client, make_event):
    auth = Auth(client)
    auth.login("organiser")
    event = make_event()
    answer = client.get(f"{API}/events/{event.slug}")
    assert answer.status_code == 401 and _error(answer) == "session_refused"


def test_tokens_are_stored_as_digests_only(team, make_token, db):
    secret = make_token(team["organiser"])
    stored = db.session.scalar(select(ApiToken))
    assert secret.startswith("ea_") and len(secret) >= 3 + 43  # 256 random bits, URL-safe
    assert stored.token_hash == tokens.digest(secret) and secret not in (stored.token_hash, stored.prefix)


@pytest.mark.parametrize(("scope", "method", "path", "expected"), [
    ("read", "post", "/registrations", 403),
    ("read", "post", "/checkins", 403),
    ("read", "post", "/badges", 403),
    ("checkin", "post", "/registrations", 403),
    ("checkin", "get", "/registrations", 200),
    ("write", "get", "/registrations", 200),
])
def test_scopes(client, team, make_event, make_token, scope, method, path, expected):
    event = make_event()
    headers = bearer(make_token(team["organiser"], scope))
    body = {"/registrations": delegate_json(1), "/checkins": {"badge_code": "x"}, "/badges": {}}[path]
    answer = getattr(client, method)(f"{API}/events/{event.slug}{path}", headers=headers,
                                     **({"json": body} if method == "post" else {}))
    assert answer.status_code == expected
    if expected == 403:
        assert _error(answer) == "scope"


def test_another_organisers_event_is_not_there(client, team, outsider, make_event, make_registration, make_token):
    event = make_event()
    person = make_registration(event)
    headers = bearer(make_token(outsider, "write"))
    assert client.get(f"{API}/events", headers=headers).json["items"] == []
    for answer in (client.get(f"{API}/events/{event.slug}", headers=headers),
                   client.get(f"{API}/events/{event.slug}/registrations/{person.id}", headers=headers),
                   client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(9), headers=headers)):
        assert answer.status_code == 404 and _error(answer) == "not_found"


def test_a_token_for_one_event_sees_only_that_one(client, team, make_event, make_token):
    mine, other = make_event(), make_event()
    headers = bearer(make_token(team["organiser"], "read", event=mine))
    assert [e["slug"] for e in client.get(f"{API}/events", headers=headers).json["items"]] == [mine.slug]
    assert client.get(f"{API}/events/{other.slug}", headers=headers).status_code == 404


def test_a_token_loses_what_its_user_loses(client, team, make_event, make_token, db):
    from events_app.events import access

    event = make_event()
    headers = bearer(make_token(team["organiser"], "read"))
    assert client.get(f"{API}/events/{event.slug}", headers=headers).status_code == 200
    access.revoke(team["organiser"], event)
    db.session.commit()
    assert client.get(f"{API}/events/{event.slug}", headers=headers).status_code == 404


def test_staff_tokens_never_show_contact_details(client, team, make_event, make_registration, make_token):
    event = make_event()
    person = make_registration(event, phone="+66 81 234 5678")
    staff = bearer(make_token(team["staff"], "write"))
    organiser = bearer(make_token(team["organiser"], "read"))
    url = f"{API}/events/{event.slug}/registrations"
    for body in (client.get(url, headers=staff).json["items"][0], client.get(f"{url}/{person.id}", headers=staff).json):
        assert body["full_name"] == person.full_name and body["organisation"] == person.organisation
        assert body["checkin_code"] == person.checkin_code  # the desk needs it
        for hidden in ("email", "phone", "gender", "position", "languages", "dietary", "accessibility_needs",
                       "travel_support_requested", "photo_consent", "answers"):
            assert body[hidden] is None, hidden
    assert person.email not in client.get(url, headers=staff).get_data(as_text=True)
    seen = client.get(f"{url}/{person.id}", headers=organiser).json
    assert seen["email"] == person.email and seen["phone"] == person.phone != ""
    probe = client.get(url, query_string={"q": person.email}, headers=staff)
    assert probe.status_code == 200 and probe.json["total"] == 0  # staff search names, not emails
    assert client.get(url, query_string={"q": person.email}, headers=organiser).json["total"] == 1
    assert client.get(url, query_string={"needs_visa_letter": "true"}, headers=staff).status_code == 403
    # Staff neither edit delegates nor see the organisers' figures, whatever their token's scope.
    assert client.patch(f"{url}/{person.id}", json={"organisation": "X"}, headers=staff).status_code == 403
    assert client.get(f"{API}/events/{event.slug}/statistics", headers=staff).status_code == 403


def test_rapporteurs_see_the_event_but_not_its_delegates(client, team, make_event, make_token):
    event = make_event()
    headers = bearer(make_token(team["rapporteur"], "read"))
    assert client.get(f"{API}/events/{event.slug}", headers=headers).status_code == 200
    answer = client.get(f"{API}/events/{event.slug}/registrations", headers=headers)
    assert answer.status_code == 403 and _error(answer) == "role"


def test_errors_have_one_shape_404_405_and_500(client, team, make_token, app, monkeypatch):
    headers = bearer(make_token(team["organiser"], "read"))
    unknown = client.get(f"{API}/nowhere", headers=headers)
    assert unknown.status_code == 404 and _error(unknown) == "not_found"
    wrong_method = client.put(f"{API}/events", headers=headers)
    assert wrong_method.status_code == 405 and _error(wrong_method) == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    from events_app.api import event_views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(event_views, "visible_events", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        failed = client.get(f"{API}/events", headers=headers)
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert failed.status_code == 500 and _error(failed) == "server_error" and "a bug" not in failed.get_data(True)


def test_cors_is_off_unless_an_origin_is_configured(client, team, make_token, app):
    headers = {**bearer(make_token(team["organiser"], "read")), "Origin": "https://partner.example"}
    assert "Access-Control-Allow-Origin" not in client.get(f"{API}/events", headers=headers).headers
    app.config["API_CORS_ORIGINS"] = "https://partner.example"
    try:
        allowed = client.get(f"{API}/events", headers=headers)
        other = client.get(f"{API}/events", headers={**headers, "Origin": "https://evil.example"})
    finally:
        app.config["API_CORS_ORIGINS"] = ""
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Access-Control-Allow-Origin" not in other.headers


def test_api_takes_no_csrf_token_but_a_bearer_token(client, team, make_event, make_token):
    event = make_event()
    answer = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(1),
                         headers=bearer(make_token(team["organiser"])))
    assert answer.status_code == 201


def test_nul_characters_are_refused_not_a_500(client, team, make_event, make_token):
    # PostgreSQL refuses NUL in text; schemathesis found a badge code holding one.
    event = make_event()
    headers = bearer(make_token(team["organiser"]))
    answers = [client.get(f"{API}/events/{event.slug}/registrations", query_string={"q": "a\x00b"}, headers=headers),
               client.post(f"{API}/events/{event.slug}/checkins", json={"badge_code": "x\x00"}, headers=headers),
               client.get(f"{API}/events/a%00b", headers=headers)]
    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert all(_error(answer) == "bad_request" for answer in answers)


def test_each_token_has_its_own_rate_limit(app, team, make_token):
    from config import TestingConfig
    from events_app import create_app
    from events_app.extensions import limiter

    class Limited(TestingConfig):  # the suite runs with limits off: this app has them on, on the same database
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        API_RATE_LIMIT = "3 per minute"

    first, second = bearer(make_token(team["organiser"], "read")), bearer(make_token(team["staff"], "read"))
    limited_app = create_app(Limited)
    try:
        with limited_app.app_context():
            client = limited_app.test_client()
            answers = [client.get(f"{API}/events", headers=first).status_code for _ in range(4)]
            other = client.get(f"{API}/events", headers=second).status_code
            limited = client.get(f"{API}/events", headers=first)
            public = [client.get(f"{API}/openapi.json").status_code for _ in range(4)]
    finally:
        limiter.enabled = False  # one Limiter serves every app: the suite's stays unlimited
    assert answers == [200, 200, 200, 429] and other == 200
    assert limited.status_code == 429 and _error(limited) == "rate_limited" and "Retry-After" in limited.headers
    assert public[-1] == 429  # without a token the limit is the client's address


def _fingerprint(db) -> str:
    """Every row of every table but the log and the tokens' last use: equal means nothing changed."""
    import hashlib

    from sqlalchemy import text

    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name not in ("audit_log", "api_tokens"):
            rows = db.session.execute(text(f"SELECT * FROM {table.name}")).all()  # noqa: S608 - our table names
            digest.update(repr(sorted(map(repr, rows))).encode())
    return digest.hexdigest()


def test_every_api_route_of_an_event_answers_another_organiser_as_if_it_did_not_exist(
        app, client, team, outsider, make_event, make_registration, make_token, db):
    event = make_event()
    person = make_registration(event)
    headers = bearer(make_token(outsider, "write"))
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.") and "slug" in rule.arguments]
    assert len(rules) >= 9, "the walk found the API's event routes"
    valid = {  # a body each write would accept at the user's own event
        "api.create_registration": delegate_json(7), "api.update_registration": {"organisation": "Elsewhere"},
        "api.change_registration_status": {"status": "cancelled"}, "api.create_check_in": {"badge_code": "x"},
        "api.batch_check_ins": {"scans": []}, "api.print_badges": {},
    }
    before = _fingerprint(db)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answers = []
            for slug in (event.slug, "no-such-event"):
                url = rule.build({"slug": slug, "registration_id": person.id}, append_unknown=False)[1]
                body = {"json": valid[rule.endpoint]} if method in ("POST", "PATCH") else {}
                response = client.open(url, method=method, headers=headers, **body)
                answers.append((response.status_code, response.get_json()))
            assert answers[0] == answers[1], (method, rule.rule)
            assert answers[0][0] == 404, (method, rule.rule, answers[0])
    db.session.rollback()
    assert _fingerprint(db) == before
