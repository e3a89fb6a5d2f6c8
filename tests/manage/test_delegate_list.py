"""The delegate list at scale: pages of 100, a constant number of statements, literal search."""
from sqlalchemy import event as sa_event

from events_app.manage.services import PAGE_SIZE, delegate_list
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
    assert client.get(f"/manage/events/{event.slug}/?page=abc").status_code == 200


def test_a_page_takes_the_same_statements_for_30_or_300_delegates(db, make_event):
    def statements(size: int) -> int:
        event = make_event()
        _register_many(db, event, size, start=size * 10)
        event_id = event.id
        db.session.rollback()  # start counting from a fresh transaction
        seen = []
        def listener(_conn, _cursor, statement, *args):
            if not statement.startswith("BEGIN"):  # SQLite's transaction start is not a query
                seen.append(statement)
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            delegate_list(event_id, q="delegate", page=2)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
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
    assert [r.full_name for r in delegate_list(event.id, q="100%").rows] == ["Ma_Ria"]
    assert [r.full_name for r in delegate_list(event.id, q="a_r").rows] == ["Ma_Ria"]
