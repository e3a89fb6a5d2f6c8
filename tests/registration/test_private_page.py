"""The registrant's private page: shows the registration, cancels it, never leaks the link."""
import pytest

from events_app.choices import Status
from events_app.registration import lifecycle
from tests.conftest import submit


def test_private_page_shows_status_and_is_not_cached_or_referred(client, db, make_event, make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event, full_name="ບຸນມີ ວົງສາ", name_latin="Bounmy Vongsa")
    response = client.get(f"/r/{registration.token}")
    html = response.get_data(as_text=True)
    assert "ບຸນມີ ວົງສາ" in html and "Pending" in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_registrant_cancels_after_a_confirmation_and_the_waiting_list_moves_up(client, db, make_event,
                                                                                make_registration):
    event = make_event(capacity=1)
    holder, waiting = make_registration(event), make_registration(event)
    assert f'href="/r/{holder.token}/cancel"' in client.get(f"/r/{holder.token}").get_data(as_text=True)
    page = client.get(f"/r/{holder.token}/cancel").get_data(as_text=True)  # asks first, changes nothing
    assert "It goes to the next person on the waiting list" in page
    assert "No, keep my registration" in page
    db.session.refresh(holder)
    assert holder.status == Status.APPROVED
    response = submit(client, f"/r/{holder.token}/cancel", {}, follow_redirects=True)
    assert "Your registration is cancelled." in response.get_data(as_text=True)
    db.session.refresh(holder)
    db.session.refresh(waiting)
    assert holder.status == Status.CANCELLED and holder.history[-1].actor == "registrant"
    assert waiting.status == Status.APPROVED


@pytest.mark.parametrize(("approval", "capacity", "says"), [
    (True, None, "the organisers will no longer review it"),
    (False, 0, "You will leave the waiting list"),
])
def test_the_confirmation_says_what_cancelling_a_pending_or_waitlisted_registration_does(
        client, db, make_event, make_registration, approval, capacity, says):
    registration = make_registration(make_event(approval_required=approval, capacity=capacity))
    page = client.get(f"/r/{registration.token}/cancel").get_data(as_text=True)
    assert says in page and "next person on the waiting list" not in page


def test_approved_delegate_downloads_a_ticket_with_their_code(client, db, make_event, make_registration, tmp_path):
    import subprocess

    event = make_event()
    registration = make_registration(event, full_name="ဇော်မင်းလွင်", name_latin="Zaw Min Lwin")
    assert "My ticket (PDF)" in client.get(f"/r/{registration.token}").get_data(as_text=True)
    response = client.get(f"/r/{registration.token}/ticket.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "t")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "t.png")],
                             capture_output=True, text=True).stdout.split()
    assert decoded == [registration.checkin_code]
    assert "Zaw Min Lwin" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_a_pending_registrations_ticket_link_says_the_ticket_comes_with_approval(client, db, make_event,
                                                                                  make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event)
    response = client.get(f"/r/{registration.token}/ticket.pdf")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Your ticket comes once your registration is approved" in html
    assert f'href="/r/{registration.token}"' in html
    assert "My ticket" not in client.get(f"/r/{registration.token}").get_data(as_text=True)


def test_a_cancelled_registration_has_no_ticket_and_an_unknown_link_stays_404(client, db, make_event,
                                                                             make_registration):
    registration = make_registration(make_event())
    lifecycle.change_status(registration, Status.CANCELLED, actor="registrant")
    db.session.commit()
    html = client.get(f"/r/{registration.token}/ticket.pdf").get_data(as_text=True)
    assert "There is no ticket: this registration was cancelled." in html
    assert client.get("/r/not-a-real-token/ticket.pdf").status_code == 404


def test_private_page_offers_the_visa_letter_once_released(client, db, make_event, make_registration):
    from events_app.documents.lists.services import release_visa_letter

    event = make_event(signatory_name="Dr. Somsak Wongsuwan", signatory_title="Regional Coordinator",
                       signatory_organisation="Mekong Migration Network")  # letters are released signed
    registration = make_registration(event, needs_visa_letter=True, nationality="Lao", passport_number="P0012345",
                                     date_of_birth="1980-05-05", passport_expiry="2031-05-05")
    assert "being prepared" in client.get(f"/r/{registration.token}").get_data(as_text=True)
    release_visa_letter(registration)
    db.session.commit()
    html = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert "Download your visa invitation letter" in html
    assert client.get(f"/r/{registration.token}/visa-letter.pdf").status_code == 200
