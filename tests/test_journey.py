"""The whole journey through the web: register in Khmer script, approve, check in at the door."""
import re

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.choices import Status
from events_app.registration.models import Registration
from tests.conftest import submit

KHMER_DELEGATE = {
    "full_name": "សុខ ចាន់ធី",
    "name_latin": "Sok Chanthy",
    "honorific": "Ms.",
    "email": "sok.chanthy@example.org",
    "organisation": "Cambodian Migrant Workers Association",
    "stakeholder_group": "migrant_group",
    "country": "KH",
    "languages": ["km", "en"],
    "data_consent": "y",
}


def register_on_the_web(client, event) -> str:
    """Fill in the public form; returns the private page's path."""
    response = submit(client, f"/events/{event.slug}/register", KHMER_DELEGATE)
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for registering" in confirmation
    return re.search(r'href="(/r/[A-Za-z0-9_-]{43})"', confirmation).group(1)


def test_register_approve_and_check_in(app, client, db, auth, make_event):
    event = make_event(approval_required=True, capacity=50)

    # A participant registers on their phone, in Khmer script.
    private_path = register_on_the_web(client, event)
    page = client.get(private_path).get_data(as_text=True)
    assert "សុខ ចាន់ធី" in page and "Pending" in page

    # An organiser signs in and approves them from the delegate list.
    auth.login("organiser")
    listing = client.get(f"/manage/events/{event.slug}/").get_data(as_text=True)
    assert "សុខ ចាន់ធី" in listing
    registration = db.session.scalar(select(Registration))
    response = submit(
        client,
        f"/manage/events/{event.slug}/delegates/{registration.id}/status",
        {"action": "approve", "back": f"/manage/events/{event.slug}/"},
        page=f"/manage/events/{event.slug}/",
        follow_redirects=True,
    )
    assert "is now Approved" in response.get_data(as_text=True)
    assert "Approved" in client.get(private_path).get_data(as_text=True)

    # Staff scan the badge's code at the door: checked in once for today.
    auth.logout()
    auth.login("staff")
    db.session.refresh(registration)
    code = registration.checkin_code
    first = submit(client, f"/checkin/{event.slug}/scan", {"code": code},
                   page=f"/checkin/{event.slug}", follow_redirects=True).get_data(as_text=True)
    assert "Checked in" in first and "សុខ ចាន់ធី" in first
    second = submit(client, f"/checkin/{event.slug}/scan", {"code": code},
                    page=f"/checkin/{event.slug}", follow_redirects=True).get_data(as_text=True)
    assert "Already checked in" in second
    assert len(db.session.scalars(select(CheckIn)).all()) == 1
    assert registration.status == Status.APPROVED
