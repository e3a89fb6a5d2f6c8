"""After a status change from the delegate list, the organiser is back on the same filtered, searched page."""
import html as html_lib
import re

from sqlalchemy import select

from events_app.choices import Status
from events_app.registration.models import Registration
from tests.conftest import csrf_token

BACK_RE = re.compile(r'<form[^>]*id="bulk"[^>]*>.*?name="back" value="([^"]*)"', re.S)


def _filtered_list(client, event, query: str) -> tuple[str, str]:
    page = client.get(f"/manage/events/{event.slug}/?{query}").get_data(as_text=True)
    return page, html_lib.unescape(BACK_RE.search(page).group(1))


def test_a_bulk_action_returns_to_the_filtered_list(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    ids = [make_registration(event, full_name=f"Sok Dara {n}").id for n in range(2)]
    auth.login("organiser")
    query = "q=Sok&status=pending&page=1"
    page, back = _filtered_list(client, event, query)
    response = client.post(f"/manage/events/{event.slug}/bulk",
                           data={"csrf_token": csrf_token(page), "ids": ids, "action": "approve", "back": back})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/manage/events/{event.slug}/?{query}"
    assert set(db.session.scalars(select(Registration.status))) == {Status.APPROVED}


def test_a_bulk_action_with_nobody_ticked_also_returns_to_the_filtered_list(client, auth, make_event,
                                                                             make_registration):
    event = make_event()
    make_registration(event)
    auth.login("organiser")
    page, back = _filtered_list(client, event, "q=Delegate")
    response = client.post(f"/manage/events/{event.slug}/bulk",
                           data={"csrf_token": csrf_token(page), "action": "approve", "back": back},
                           follow_redirects=True)
    assert response.request.full_path == f"/manage/events/{event.slug}/?q=Delegate"
    assert "Tick at least one delegate." in response.get_data(as_text=True)


def test_a_single_status_change_returns_to_the_filtered_list(client, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event, full_name="Sok Dara")
    auth.login("organiser")
    page = client.get(f"/manage/events/{event.slug}/?q=Sok&status=pending").get_data(as_text=True)
    back = html_lib.unescape(re.search(r'name="back" value="([^"]*)"', page.split('id="bulk"')[1]).group(1))
    response = client.post(f"/manage/events/{event.slug}/delegates/{registration.id}/status",
                           data={"csrf_token": csrf_token(page), "action": "approve", "back": back})
    assert response.headers["Location"] == f"/manage/events/{event.slug}/?q=Sok&status=pending"


def test_a_back_address_off_the_workspace_is_ignored(client, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event)
    auth.login("organiser")
    page = client.get(f"/manage/events/{event.slug}/").get_data(as_text=True)
    response = client.post(f"/manage/events/{event.slug}/bulk",
                           data={"csrf_token": csrf_token(page), "ids": [registration.id], "action": "decline",
                                 "back": "//evil.example/manage/"})
    assert response.headers["Location"] == f"/manage/events/{event.slug}/"
