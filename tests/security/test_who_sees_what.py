"""Who sees what (issue 13, gap 8): staff see what the desk and printing need on the list, its search and filters.

Name, organisation, country, status, attendance and printing; never email, phone, answers, passport or needs.
Organisers (and admins) see everything. The delegate page itself: tests/manage/test_delegate_record.py.
"""
from sqlalchemy import select

from events_app.auth.models import User
from events_app.choices import UserRole
from tests.manage.test_delegate_record import delegate  # noqa: F401 - the fixture

HIDDEN = ("+66812345678", "Labour migration", "Step-free access", "MD0474021", "4021")


def _list(client, event, **args):
    return client.get(f"/manage/events/{event.slug}/", query_string=args)


def test_staff_see_the_list_without_contact_details_or_needs(client, auth, delegate):  # noqa: F811
    event, registration = delegate
    auth.login("staff")
    html = _list(client, event).get_data(as_text=True)
    assert "Zaw Min" in html and "Mekong Migration Network" in html
    for hidden in (registration.email, *HIDDEN):
        assert hidden not in html
    for organiser_only in ('name="accessibility_needs"', 'name="needs_visa_letter"', 'name="gender"',
                           'name="dietary"', "or email", "Export these", "Possible duplicates"):
        assert organiser_only not in html, organiser_only


def test_staff_cannot_find_a_delegate_by_email_or_by_needs(client, auth, delegate):  # noqa: F811
    event, registration = delegate
    auth.login("staff")
    assert "Zaw Min" in _list(client, event, q="zaw").get_data(as_text=True)
    assert "Zaw Min" not in _list(client, event, q=registration.email).get_data(as_text=True)
    assert "Zaw Min" not in _list(client, event, q=registration.email.split("@")[0]).get_data(as_text=True)
    for name, value in (("accessibility_needs", "no"), ("needs_visa_letter", "no"), ("dietary", "vegan")):
        # the filter is not there for staff: the list is not narrowed by it (so it tells nothing)
        assert "Zaw Min" in _list(client, event, **{name: value}).get_data(as_text=True), name


def test_staff_get_no_export_and_no_duplicates_page(client, auth, delegate):  # noqa: F811
    event, _registration = delegate
    auth.login("staff")
    for page in ("export", "duplicates"):
        assert client.get(f"/manage/events/{event.slug}/{page}").status_code == 403, page


def test_organisers_and_admins_see_and_search_everything(client, db, auth, delegate):  # noqa: F811
    event, registration = delegate
    for role in ("organiser", "admin"):
        auth.login(role)
        html = _list(client, event, q=registration.email).get_data(as_text=True)
        assert "Zaw Min" in html and "or email" in html and "Export these" in html
        assert "Zaw Min" not in _list(client, event, accessibility_needs="no").get_data(as_text=True)
        assert "+66812345678" in client.get(f"/manage/events/{event.slug}/delegates/{registration.id}").get_data(
            as_text=True)
        auth.logout()
    assert db.session.scalar(select(User).where(User.role == UserRole.ADMIN)) is not None
