"""Lost badges (the old code answers "revoked", a new badge prints) and walk-ins registered at the door."""
from sqlalchemy import select

from events_app.attendance.models import CheckIn, RevokedCode
from events_app.choices import Status
from events_app.registration.models import Registration
from tests.attendance.badge_files import badge_png, pdf_page_size_mm, scanned_code
from tests.attendance.pages import visible_text
from tests.attendance.test_desk_json import scan_json
from tests.conftest import submit


def _desk_badge(client, event, registration_id, tmp_path):
    response = submit(client, f"/manage/events/{event.slug}/badges/desk/{registration_id}.pdf", {},
                      page=f"/checkin/{event.slug}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" not in response.headers.get("Content-Disposition", "")  # opens in the browser
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(response.data)
    return pdf


def test_a_lost_badge_is_revoked_and_the_new_one_scans(client, db, auth, make_event, make_registration, tmp_path):
    event = make_event()
    registration = make_registration(event, full_name="Sophea Chan")
    old_code = registration.checkin_code
    auth.login("staff")
    assert scan_json(client, event, old_code).get_json()["result"] == "checked_in"
    page = submit(client, f"/checkin/{event.slug}/revoke", {"registration_id": str(registration.id)},
                  page=f"/checkin/{event.slug}", follow_redirects=True).get_data(as_text=True)
    assert "New badge issued Sophea Chan : the old badge's code now answers “revoked”." in visible_text(page)
    db.session.expire_all()
    new_code = db.session.get(Registration, registration.id).checkin_code
    assert new_code != old_code
    assert db.session.scalar(select(RevokedCode.code)) == old_code

    old = scan_json(client, event, old_code).get_json()
    assert old["result"] == "revoked" and "was reported lost and replaced" in visible_text(old["html"])
    pdf = _desk_badge(client, event, registration.id, tmp_path)
    assert pdf_page_size_mm(pdf) == (85.6, 54.0)  # CR80: the card printer's page, nothing to scale
    assert b"/OpenAction" in pdf.read_bytes() and b"/PrintScaling /None" in pdf.read_bytes()
    code_on_badge = scanned_code(badge_png(pdf, tmp_path))
    assert code_on_badge == new_code
    assert scan_json(client, event, code_on_badge).get_json()["result"] == "already"  # the same person, same day
    assert len(db.session.scalars(select(CheckIn)).all()) == 1


def test_only_an_approved_delegate_gets_a_desk_badge(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    pending = make_registration(event)
    auth.login("staff")
    response = submit(client, f"/manage/events/{event.slug}/badges/desk/{pending.id}.pdf", {},
                      page=f"/checkin/{event.slug}", follow_redirects=True)
    assert response.mimetype == "text/html"
    assert f"No badge: the registration of {pending.full_name} is Pending." in visible_text(
        response.get_data(as_text=True))
    assert submit(client, f"/manage/events/{event.slug}/badges/desk/999999.pdf", {},
                  page=f"/checkin/{event.slug}").status_code == 404
    assert client.get(f"/manage/events/{event.slug}/badges/desk/{pending.id}.pdf").status_code == 405


def _walk_in(client, event, **fields):
    data = {"full_name": "ສົມພອນ ແກ້ວມະນີ", "name_latin": "Somphone Keomany", "email": "somphone@example.la",
            "organisation": "Village Focus International", "stakeholder_group": "ngo", "country": "LA",
            "data_consent": "y", **fields}
    return submit(client, f"/checkin/{event.slug}/walk-in", data, follow_redirects=True)


def test_a_walk_in_is_registered_checked_in_and_their_badge_prints(client, db, auth, make_event, tmp_path):
    event = make_event(approval_required=True)  # walk-ins are approved at once unless the organisers say not
    auth.login("staff")
    text = visible_text(_walk_in(client, event).get_data(as_text=True))
    assert "Walk-in registered and checked in ສົມພອນ ແກ້ວມະນີ (Somphone Keomany) — Village Focus" in text
    person = db.session.scalar(select(Registration).where(Registration.email == "somphone@example.la"))
    assert person.status == Status.APPROVED and person.data_consent
    checkin = db.session.scalar(select(CheckIn))
    assert checkin.registration_id == person.id and checkin.method == "walkin"
    pdf = _desk_badge(client, event, person.id, tmp_path)
    assert scanned_code(badge_png(pdf, tmp_path)) == person.checkin_code
    db.session.expire_all()
    assert db.session.get(Registration, person.id).badge_printed_at is not None

    again = visible_text(_walk_in(client, event).get_data(as_text=True))  # the same person comes back
    assert "Already checked in" in again and "no second registration was made" in again
    assert db.session.scalar(select(Registration.id).where(Registration.event_id == event.id).limit(2)) == person.id
    assert len(db.session.scalars(select(Registration)).all()) == 1


def test_when_organisers_want_to_approve_walk_ins_they_wait(client, db, auth, make_event):
    event = make_event(approval_required=True)
    auth.login("organiser")
    submit(client, f"/checkin/{event.slug}/settings", {}, page=f"/checkin/{event.slug}/walk-in")  # box unticked
    text = visible_text(_walk_in(client, event).get_data(as_text=True))
    assert "Not checked in" in text and "registration is Pending" in text
    assert db.session.scalars(select(CheckIn)).all() == []


def test_staff_cannot_change_the_desk_setting(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    page = client.get(f"/checkin/{event.slug}/walk-in").get_data(as_text=True)
    assert "Desk setting" not in page
    assert submit(client, f"/checkin/{event.slug}/settings", {}, page=f"/checkin/{event.slug}/walk-in"
                  ).status_code == 403


def test_a_walk_in_form_with_mistakes_says_so_beside_the_fields(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    response = _walk_in(client, event, email="not an email", country="XX", data_consent="")
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Enter a valid email address" in text and "Choose a country from the list." in text
    assert "They must agree to the privacy notice to register." in text
    assert db.session.scalars(select(Registration)).all() == []
