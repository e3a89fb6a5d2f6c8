"""Each event's privacy notice: the network's default or the organisers' text, its version, the contact."""
from sqlalchemy import select

from events_app.events.services import update_event
from events_app.registration import services
from events_app.registration.models import Registration
from tests.conftest import delegate_data


def test_the_default_notice_says_what_why_who_and_how_long(client, db, make_event):
    event = make_event(contact_email="privacy@mekong.example")
    html = client.get(f"/events/{event.slug}/privacy").get_data(as_text=True)
    assert "Version 1, last changed" in html
    assert "Passport details are used only for your visa letter, stored encrypted, and erased 30 days" in html
    assert "public list of participants only if you agree" in html
    assert "write to privacy@mekong.example" in html


def test_organisers_text_replaces_the_default_and_each_change_is_a_new_version(client, db, make_event):
    event = make_event()
    update_event(event, privacy_notice="We keep your details for this forum only.\n\nAsk us to erase them.")
    update_event(event, title="Renamed forum")  # the notice did not change: same version
    db.session.commit()
    assert event.privacy_notice_version == 2
    html = client.get(f"/events/{event.slug}/privacy").get_data(as_text=True)
    assert "We keep your details for this forum only." in html and "Ask us to erase them." in html
    assert "Version 2" in html and "Passport details are used only" not in html

    services.register(event, delegate_data(1))
    db.session.commit()
    assert db.session.scalar(select(Registration.privacy_notice_version)) == "2"


def test_the_consent_box_links_to_the_notice_in_a_new_tab(client, db, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert (f'<a href="/events/{event.slug}/privacy" target="_blank" rel="noopener">'
            "Read the privacy notice (opens in a new tab)</a>") in html
    assert 'id="data_consent-hint"' in html


def test_organisers_edit_the_notice_in_the_event_settings(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    html = client.get(f"/manage/events/{event.slug}/settings").get_data(as_text=True)
    assert 'name="privacy_notice"' in html and "Version 1." in html


def test_the_contact_address_is_on_the_event_page_private_page_and_notice(client, db, make_event,
                                                                         make_registration):
    event = make_event(contact_email="symposium@mekong.example")
    registration = make_registration(event)
    for url in (f"/events/{event.slug}", f"/r/{registration.token}", f"/events/{event.slug}/privacy"):
        html = client.get(url).get_data(as_text=True)
        assert ('Questions? Write to the organisers: <a href="mailto:symposium@mekong.example">'
                "symposium@mekong.example</a>") in html, url


def test_without_an_event_contact_the_sites_address_is_shown(app, client, db, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    fallback = app.config["MAIL_REPLY_TO"] or app.config["MAIL_DEFAULT_SENDER"]
    assert f'Questions? Write to the organisers: <a href="mailto:{fallback}">' in html
