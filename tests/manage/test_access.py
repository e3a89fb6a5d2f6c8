"""Every workspace route checks sign-in and role; sign-in refuses wrong passwords without saying which part."""
import pytest

from tests.conftest import submit

READ_ROUTES = ["/manage/", "/manage/events/{slug}/", "/checkin/{slug}"]


@pytest.mark.parametrize("route", READ_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, make_event, route):
    event = make_event()
    response = client.get(route.format(slug=event.slug))
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("route", READ_ROUTES[1:])
def test_rapporteurs_may_not_use_the_workspace(client, auth, make_event, route):
    event = make_event()
    auth.login("rapporteur")
    assert client.get(route.format(slug=event.slug)).status_code == 403


def test_staff_cannot_change_a_status(client, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event)
    auth.login("staff")
    response = submit(client, f"/manage/events/{event.slug}/delegates/{registration.id}/status",
                      {"action": "approve"}, page=f"/checkin/{event.slug}")
    assert response.status_code == 403


def test_wrong_password_is_refused_with_one_message(client, auth, db):
    auth.login("organiser")
    auth.logout()
    response = submit(client, "/auth/login", {"email": "organiser@test.example", "password": "wrong password"})
    assert response.status_code == 200
    assert "do not match an account" in response.get_data(as_text=True)
    response = submit(client, "/auth/login", {"email": "nobody@test.example", "password": "wrong password"})
    assert "do not match an account" in response.get_data(as_text=True)


def test_login_does_not_redirect_to_another_site(client, auth, db):
    auth.login("organiser")
    auth.logout()
    response = submit(client, "/auth/login?next=https://evil.example/", {
        "email": "organiser@test.example", "password": "correct horse battery"}, page="/auth/login")
    assert response.headers["Location"] == "/manage/"


def test_unknown_delegate_of_an_event_is_404(client, auth, make_event, make_registration):
    event, other = make_event(), make_event()
    registration = make_registration(other)
    auth.login("organiser")
    assert client.get(f"/manage/events/{event.slug}/delegates/{registration.id}").status_code == 404
