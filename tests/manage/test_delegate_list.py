"""The workspace at scale: the events index and pages of 100 in a constant number of statements, literal search."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event

from events_app.manage.services import PAGE_SIZE, ListCriteria, delegate_list
from events_app.registration import services


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
