"""The workspace at scale: the events index and pages of 100 in a constant number of statements, literal search."""
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from events_app.attendance.services import check_in
from events_app.choices import EventRole
from events_app.events import access
from events_app.manage.services import PAGE_SIZE, ListCriteria, delegate_list
from events_app.registration import services
from events_app.registration.models import Registration
from tests.conftest import delegate_data
from tests.manage.grants import organiser_at


def _register_many(db, event, count: int, start: int = 0):
    for n in range(start, start + count):
        services.register(event, {"full_name": f"Delegate {n:04d}", "email": f"d{n}@example.org",
                                  "organisation": "Org", "stakeholder_group": "ngo", "country": "TH",
                                  "data_consent": True}, notify=False)
    db.session.commit()


def test_the_list_is_paged_and_keeps_its_filters(client, db, auth, make_event):
    event = make_event()
    _register_many(db, event, PAGE_SIZE + 30)
    auth.login("organiser")
    first = client.get(f"/manage/events/{event.slug}/?status=approved").get_data(as_text=True)
    assert "Delegates 1–100 of 130" in first and "Delegate 0000" in first and "Delegate 0100" not in first
    assert "page=2" in first and "status=approved" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = client.get(f"/manage/events/{event.slug}/?status=approved&page=2").get_data(as_text=True)
    assert "Delegates 101–130 of 130" in second and "Delegate 0100" in second and "Delegate 0000" not in second
    beyond = client.get(f"/manage/events/{event.slug}/?page=99").get_data(as_text=True)
    assert "Delegates 101–130 of 130" in beyond  # past the end shows the last page, not an empty one


@pytest.mark.parametrize("query", ["page=abc", "page=0", "status=everyone", "status=approved&page=-1"])
def test_a_filter_that_makes_no_sense_is_a_400_not_the_whole_list(client, db, auth, make_event, make_registration,
                                                                   query):
    event = make_event()
    make_registration(event)
    auth.login("organiser")
    response = client.get(f"/manage/events/{event.slug}/?{query}")
    assert response.status_code == 400
    assert "Delegate 1" not in response.get_data(as_text=True)


@contextmanager
def statements_run(db):
    """The SQL statements run inside the block (SQLite's BEGIN is not a query, so it is left out)."""
    seen = []

    def listener(_conn, _cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)


def test_a_page_takes_the_same_statements_for_30_or_300_delegates(db, make_event):
    def statements(size: int) -> int:
        event = make_event()
        _register_many(db, event, size, start=size * 10)
        event_id = event.id
        db.session.rollback()  # start counting from a fresh transaction
        with statements_run(db) as seen:
            delegate_list(event_id, ListCriteria(q="delegate"), page=2)
        return len(seen)

    assert statements(30) == statements(300) == 2  # the count, then the page



def _names(html: str) -> list[str]:
    return re.findall(r'/delegates/\d+">([^<]+)</a>', html)


@pytest.fixture()
def crowd(db, make_event):
    """Five delegates who differ in every filtered respect; Bopha checked in on day one, Li has a badge."""
    event = make_event()
    people = [
        ("Bopha", dict(stakeholder_group="government", country="KH", participant_role="speaker", gender="woman",
                       dietary="vegan", needs_visa_letter=False, accessibility_needs="Wheelchair access",
                       organisation="Ministry")),
        ("Li", dict(stakeholder_group="ngo", country="CN", gender="man", dietary="halal", organisation="Zeta")),
        ("Somchai", dict(stakeholder_group="ngo", country="TH", gender="man", organisation="Alpha")),
        ("Aung", dict(stakeholder_group="trade_union", country="MM", gender="non_binary", organisation="Union")),
        ("Huong", dict(stakeholder_group="academic", country="VN", gender="woman", organisation="University")),
    ]
    made = {}
    for n, (name, fields) in enumerate(people):
        role = fields.pop("participant_role", None)
        outcome = services.register(event, {**delegate_data(n, full_name=name), **fields}, notify=False)
        if role:
            outcome.registration.participant_role = role
        made[name] = outcome.registration
    db.session.flush()
    check_in(made["Bopha"], day=event.starts_on)
    made["Li"].badge_printed_at = made["Li"].registered_at
    db.session.commit()
    return event


@pytest.mark.parametrize(("query", "expected"), [
    ("stakeholder_group=ngo", ["Li", "Somchai"]),
    ("country=MM", ["Aung"]),
    ("participant_role=speaker", ["Bopha"]),
    ("gender=woman", ["Bopha", "Huong"]),
    ("dietary=halal", ["Li"]),
    ("accessibility_needs=yes", ["Bopha"]),
    ("needs_visa_letter=no&country=KH", ["Bopha"]),
    ("badge_printed=yes", ["Li"]),
    ("badge_printed=no&gender=man", ["Somchai"]),
    ("checked_in=any", ["Bopha"]),
    ("checked_in=none&stakeholder_group=ngo", ["Li", "Somchai"]),
    ("sort=-organisation&gender=man", ["Li", "Somchai"]),
    ("sort=organisation&gender=man", ["Somchai", "Li"]),
])
def test_each_filter_and_sort_narrows_the_list_and_stays_in_the_url(client, db, auth, crowd, query, expected):
    organiser_at(auth, db, crowd)
    html = client.get(f"/manage/events/{crowd.slug}/?{query}").get_data(as_text=True)
    assert _names(html) == expected
    assert f"Export these {len(expected)}" in html
    for pair in query.split("&"):  # the export link keeps the filter
        assert pair in html.split("Export these")[0].rsplit("href=", 1)[1]


def test_checked_in_on_a_given_day(client, db, auth, crowd):
    organiser_at(auth, db, crowd)
    first, second = crowd.days[0].isoformat(), crowd.days[1].isoformat()
    assert _names(client.get(f"/manage/events/{crowd.slug}/?checked_in={first}").get_data(as_text=True)) == ["Bopha"]
    html = client.get(f"/manage/events/{crowd.slug}/?checked_in={second}").get_data(as_text=True)
    assert "No delegates match." in html


@pytest.mark.parametrize("query", ["country=XX", "checked_in=2001-01-01", "sort=email", "gender=other",
                                   "badge_printed=maybe"])
def test_a_filter_value_the_form_does_not_offer_is_a_400(client, db, auth, crowd, query):
    organiser_at(auth, db, crowd)
    assert client.get(f"/manage/events/{crowd.slug}/?{query}").status_code == 400


@pytest.mark.parametrize("query", [
    "",  # the list as it opens
    "sort=country&page=2",
    "q=delegate&status=approved&stakeholder_group=ngo&country=TH&checked_in=none&badge_printed=no"
    "&needs_visa_letter=no&accessibility_needs=no&sort=-registered&page=2",
])
def test_the_list_page_takes_the_same_statements_for_5_or_300_delegates(client, db, auth, make_event, query):
    user = auth.login("organiser")

    def statements(size: int) -> int:
        event = make_event()
        _register_many(db, event, size, start=size * 10)
        check_in(db.session.scalars(select(Registration).where(Registration.event_id == event.id)).first(),
                 day=event.starts_on)
        access.grant(user, event, EventRole.ORGANISER)
        db.session.commit()
        with statements_run(db) as seen:
            response = client.get(f"/manage/events/{event.slug}/?{query}")
        assert response.status_code == 200
        if not query:
            assert f"Delegates 1–{min(size, PAGE_SIZE)} of {size}" in response.get_data(as_text=True)
        return len(seen)

    assert statements(5) == statements(300)


def test_search_matches_percent_and_underscore_literally(db, make_event):
    event = make_event()
    services.register(event, {"full_name": "Ma_Ria", "email": "a@example.org", "organisation": "100% Union",
                              "stakeholder_group": "trade_union", "country": "KH", "data_consent": True},
                      notify=False)
    services.register(event, {"full_name": "Maria", "email": "b@example.org", "organisation": "Other",
                              "stakeholder_group": "ngo", "country": "KH", "data_consent": True}, notify=False)
    db.session.commit()
    assert [r.full_name for r in delegate_list(event.id, ListCriteria(q="100%")).rows] == ["Ma_Ria"]
    assert [r.full_name for r in delegate_list(event.id, ListCriteria(q="a_r")).rows] == ["Ma_Ria"]


def test_the_events_index_takes_the_same_statements_for_1_or_5_events(client, db, auth, make_event,
                                                                      make_registration):
    auth.login("staff")
    titles = []

    def statements(new_events: int) -> int:
        for _ in range(new_events):
            event = make_event()
            make_registration(event)
            titles.append(event.title)
        db.session.rollback()
        with statements_run(db) as seen:
            page = client.get("/manage/").get_data(as_text=True)
        assert all(title in page for title in titles)
        return len(seen)

    assert statements(1) == statements(4)  # then 5 events, their counts still in one grouped query


def test_the_events_index_counts_each_event_by_status(db, make_event, make_registration):
    from events_app.choices import Status
    from events_app.manage.services import status_counts_by_event

    busy, quiet, empty = make_event(capacity=1), make_event(), make_event()
    make_registration(busy), make_registration(busy), make_registration(quiet)
    counts = status_counts_by_event([busy.id, quiet.id, empty.id])
    assert (counts[busy.id][Status.APPROVED], counts[busy.id][Status.WAITLISTED]) == (1, 1)
    assert counts[quiet.id][Status.APPROVED] == 1 and set(counts[empty.id].values()) == {0}
