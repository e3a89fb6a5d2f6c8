"""The documents page says how many delegates each document holds before anyone downloads it.

A document with nobody in it says "Nobody yet" and offers no download; its download address answers
with that message on the documents page rather than a one-sentence PDF.
"""
import html as html_lib

import pytest

from events_app.attendance.services import check_in
from events_app.choices import Status
from events_app.extensions import db as _db

PAGE = "/manage/events/{slug}/documents"


def _page(client, event) -> str:
    return html_lib.unescape(client.get(PAGE.format(slug=event.slug)).get_data(as_text=True))


def test_before_anyone_is_approved_every_document_says_nobody_yet_and_offers_no_download(client, auth, make_event,
                                                                                         make_registration):
    event = make_event(approval_required=True)
    make_registration(event, needs_visa_letter=True)  # pending: in no document yet
    auth.login("organiser")

    html = _page(client, event)

    assert html.count("Nobody yet: no delegate has been approved.") == 2  # attendee list, sign-in sheets
    assert "Nobody yet: badges are printed for approved delegates" in html
    assert "Nobody yet: no delegate has been checked in on at least 1 day(s)" in html
    assert "Nobody yet: no approved delegate has asked for a visa invitation letter." in html
    for download in ("attendees.pdf", "signin.pdf", "certificates.pdf", "visa-letters.pdf"):
        assert download not in html


@pytest.mark.parametrize(("address", "message"), [
    ("certificates.pdf", "Nobody has a certificate yet: no delegate has been checked in on at least 2 days."),
    ("attendees.pdf?version=public&group_by=country",
     "Nobody is on the public list yet: no approved delegate agreed to be listed."),
    ("attendees.pdf?version=internal&group_by=country", "Nobody is on the attendee list yet"),
    ("visa-letters.pdf", "There is no letter to download: no approved delegate asked for one."),
])
def test_a_download_with_nobody_in_it_answers_with_a_message_not_a_pdf(client, auth, make_event, address,
                                                                       message):
    event = make_event(attendance_threshold_days=2)
    auth.login("organiser")

    response = client.get(f"/manage/events/{event.slug}/{address}")

    assert response.status_code == 303 and response.mimetype != "application/pdf"
    assert response.headers["Location"].endswith(PAGE.format(slug=event.slug))
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_sign_in_sheet_with_nobody_answers_with_a_message(client, auth, make_event):
    event = make_event()
    auth.login("staff")
    response = client.get(f"/manage/events/{event.slug}/signin.pdf?day={event.starts_on.isoformat()}")
    assert response.status_code == 303
    assert "Nobody is on the sign-in sheet yet" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_each_document_shows_how_many_it_holds(client, auth, make_event, make_registration):
    event = make_event()
    listed = [make_registration(event, list_publicly=True) for _ in range(2)]
    make_registration(event, list_publicly=False)
    cancelled = make_registration(event)
    cancelled.status = Status.CANCELLED
    check_in(listed[0], day=event.starts_on, method="search")
    _db.session.commit()
    auth.login("staff")

    html = _page(client, event)

    assert "3 approved delegates get a badge." in html
    assert "2 of 3 approved delegates agreed to appear on the public list." in html
    assert "Each day's sheet lists 3 approved delegates." in html
    assert "1 delegate has been checked in on at least 1 day(s)." in html
    for download in ("attendees.pdf", "signin.pdf", "certificates.pdf"):
        assert f"/manage/events/{event.slug}/{download}" in html


def test_staff_see_nobody_yet_when_no_approved_delegate_agreed_to_the_public_list(client, auth, make_event,
                                                                                make_registration):
    event = make_event()
    make_registration(event, list_publicly=False)
    auth.login("staff")
    html = _page(client, event)
    assert "Nobody yet: no approved delegate agreed to appear on the public list." in html
    assert "attendees.pdf" not in html
    auth.logout()
    auth.login("organiser")
    assert "attendees.pdf" in _page(client, event)  # the internal list has them
