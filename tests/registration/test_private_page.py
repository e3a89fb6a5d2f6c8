"""The registrant's private page: shows the registration, cancels it, never leaks the link."""
from events_app.choices import Status
from tests.conftest import submit


def test_private_page_shows_status_and_is_not_cached_or_referred(client, db, make_event, make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event, full_name="ບຸນມີ ວົງສາ", name_latin="Bounmy Vongsa")
    response = client.get(f"/r/{registration.token}")
    html = response.get_data(as_text=True)
    assert "ບຸນມີ ວົງສາ" in html and "Pending" in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_registrant_cancels_and_the_waiting_list_moves_up(client, db, make_event, make_registration):
    event = make_event(capacity=1)
    holder, waiting = make_registration(event), make_registration(event)
    response = submit(client, f"/r/{holder.token}/cancel", {}, page=f"/r/{holder.token}", follow_redirects=True)
    assert "Your registration is cancelled." in response.get_data(as_text=True)
    db.session.refresh(holder)
    db.session.refresh(waiting)
    assert holder.status == Status.CANCELLED and holder.history[-1].actor == "registrant"
    assert waiting.status == Status.APPROVED
