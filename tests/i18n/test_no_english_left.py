"""No English left on what a Khmer, Burmese or Chinese reader meets: every email to a delegate and every public page.

What the organisers or the delegate typed (the event's title, venue, names, organisations) is taken
out first; what remains may not hold three Latin-script words in a row, the mark of an English sentence
or label nobody translated.
"""
import html
import re
from datetime import date, timedelta
from functools import cache

import pytest

from events_app.mail import messages
from events_app.mail.render import render_message
from events_app.recommendations import services as recommendations
from events_app.registration import invitations
from events_app.registration.invitations import InviteeRow
from tests.conftest import submit
from tests.i18n.catalogues import POT, read

READERS = ["km", "my", "zh_Hans"]
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]+(?:\s+[A-Za-z][A-Za-z'’-]+){2,}")
ORGANISATION = "Mekong Migration Network"
TYPED = ["Regional Symposium on Migrant Workers Rights", "Asian Institute of Technology Conference Centre", "Bangkok",
         ORGANISATION, "Sok Chanthy", "team@mekong.example", "Recruitment fees", "Which working group",
         "Ensure access to health care for every migrant worker.", "Health", "ASEAN"]


def english_left(text: str) -> list[str]:
    """Runs of three or more Latin words, once markup, addresses, links and typed data are removed."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    # What a screen reader or a hovering pointer reads is text too.
    spoken = re.findall(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"', text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + " | ".join(spoken))
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    for typed in TYPED:
        text = text.replace(typed, " ")
    return LATIN_RUN.findall(text) + _untranslated_labels(text)


def _untranslated_labels(text: str) -> list[str]:
    """Short pieces (one or two words: a button, a label) that are exactly an English message of the catalogue."""
    pieces = {piece.strip(" :·|()—") for piece in re.split(r"\s{2,}|\n|\|", text)}
    return sorted(piece for piece in pieces if piece in _short_messages())


@cache
def _short_messages() -> frozenset[str]:
    template = read(POT)
    return frozenset(str(message.id) for message in template if isinstance(message.id, str)
                     and re.search(r"[A-Za-z]{3}", message.id) and len(message.id.split()) <= 2)


def _listed(found: dict) -> str:
    return "English left:\n" + "\n".join(f"{where}: {run!r}" for where, runs in found.items() for run in runs)


@pytest.fixture()
def symposium(make_event, db):
    from events_app.events import settings

    event = make_event(title=TYPED[0], venue=TYPED[1], city="Bangkok", country="TH",
                       starts_on=date.today() + timedelta(days=20), contact_email="team@mekong.example",
                       approval_required=True)
    settings.add_question(event, key="group", label=TYPED[7], kind="choice", options=[TYPED[6], "Return"])
    db.session.commit()
    return event


@pytest.fixture()
def delegate(make_registration, symposium):
    def factory(locale):
        return make_registration(symposium, locale=locale, full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy",
                                 organisation=ORGANISATION, country="KH", needs_visa_letter=False)
    return factory


@pytest.mark.parametrize("locale", READERS)
def test_every_email_to_a_delegate_is_in_their_language(db, symposium, delegate, locale):
    registration = delegate(locale)
    invitation, _errors = invitations.invite(symposium, [InviteeRow(email=f"{locale}@example.org",
                                                                     full_name="Sok Chanthy")], send=False)
    sent = [
        messages.registration_received(registration), messages.approved(registration),
        messages.waitlisted(registration), messages.promoted(registration),
        messages.declined(registration, reason=""), messages.cancelled(registration, reason=""),
        messages.details_changed(registration, changes=["Organisation"]), messages.lost_link(registration),
        messages.reminder(registration, days=7), messages.visa_letter_ready(registration),
        messages.invitation(invitation[0], locale=locale),
        messages.bulk(registration, subject="", body=""),
    ]
    found = {message.kind: english_left(" ".join((written.subject, written.text, written.html)))
             for message, written in ((message, render_message(message)) for message in sent)}
    assert not any(found.values()), _listed(found)
    assert {message.locale for message in sent} == {locale}


@pytest.mark.parametrize("locale", READERS)
def test_every_public_page_is_in_the_readers_language(client, db, make_event, make_registration, symposium, delegate,
                                                      locale):
    registration = delegate(locale)  # pending: the organisers approve
    slug, token = symposium.slug, registration.token
    invited = make_event(title=TYPED[0], invitation_only=True).slug
    closed = make_event(title=TYPED[0], starts_on=date.today() - timedelta(days=5)).slug
    endorsing = make_event(title=TYPED[0], city="Bangkok")
    recommendations.save_settings(endorsing, theme_names=["Health"], addressee_names=["ASEAN"], preamble="",
                                  endorsement_open=True)
    adopted = recommendations.draft(endorsing, by=None, theme_id=recommendations.themes(endorsing)[0].id,
                                    addressee_ids=[recommendations.addressees(endorsing)[0].id], text=TYPED[8])
    recommendations.set_status(adopted, "adopted", by=None)
    approved = make_registration(endorsing, locale=locale).token  # with its ticket, and recommendations to endorse
    client.get(f"/?lang={locale}")
    pages = {path: client.get(path) for path in [
        "/", f"/events/{slug}", f"/events/{slug}/register", f"/events/{slug}/lost-link",
        f"/events/{slug}/privacy", f"/events/{slug}/registered", f"/r/{token}", f"/r/{token}/confirmation",
        f"/r/{token}/edit", f"/r/{token}/cancel", f"/r/{token}/ticket.pdf", f"/events/{invited}/register",
        f"/events/{closed}", f"/events/{closed}/register", "/events/no-such-event", f"/r/{approved}",
        f"/r/{approved}/recommendations"]}
    assert "%PDF" not in pages[f"/r/{token}/ticket.pdf"].get_data(as_text=True)  # a page: no ticket before approval
    pages["register with errors"] = submit(client, f"/events/{slug}/register", {"full_name": "សុខ"})
    pages["lost link sent"] = submit(client, f"/events/{slug}/lost-link", {"email": "sok@example.org"},
                                     follow_redirects=True)
    found = {path: english_left(response.get_data(as_text=True)) for path, response in pages.items()}
    assert not any(found.values()), _listed(found)
