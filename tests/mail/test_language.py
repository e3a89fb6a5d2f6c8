"""One language per email: the delegate's when the email is translated into it, English otherwise, dates included."""
from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import get_domain

from events_app.mail import bulk, messages
from events_app.mail.render import render_message


def _khmer_words() -> set[str]:
    """Every Khmer month and weekday name, and Thailand's name in Khmer."""
    khmer = Locale("km")
    names = {khmer.territories["TH"]}
    for table in (khmer.months, khmer.days):
        for width in ("wide", "abbreviated"):
            names.update(table["format"][width].values())
    return names


def test_without_a_translation_a_khmer_delegate_gets_english_throughout(app, db, symposium, make_registration,
                                                                         tmp_path, monkeypatch):
    # No catalogue at all (as for a language not yet translated): the whole email is English.
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
    monkeypatch.setattr(get_domain(), "cache", {})
    registration = make_registration(symposium, full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", locale="km")

    approved = render_message(messages.approved(registration))
    assert "Dear សុខ ចាន់ធី," in approved.text  # the delegate's name stays as they wrote it
    for message in (approved, render_message(messages.reminder(registration, days=7)),
                    render_message(messages.bulk(registration, subject="Programme",
                                                 body="The symposium runs {dates} at {venue}.")),
                    render_message(messages.bulk(registration, subject="Programme",
                                                 body=bulk.fill("The symposium runs {dates} at {venue}.",
                                                                registration)))):
        assert message.locale == "en" and 'lang="en"' in message.html
        english_dates = f"{format_date(symposium.starts_on, 'medium', locale='en')} – "
        assert english_dates in message.text and english_dates in message.html
        assert "Bangkok, Thailand" in message.text
        written = message.text + message.html
        assert [word for word in _khmer_words() if word in written] == []


def test_an_email_translated_into_the_delegates_language_comes_in_it_dates_included(app, db, symposium,
                                                                                  make_registration, tmp_path,
                                                                                  monkeypatch):
    catalog = Catalog(locale="th")
    catalog.add("Your place at %(event)s is confirmed", "ยืนยันที่นั่งของคุณใน %(event)s แล้ว")
    (tmp_path / "th" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "th" / "LC_MESSAGES" / "messages.mo", "wb") as mo:
        write_mo(mo, catalog)
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
    monkeypatch.setattr(get_domain(), "cache", {})  # catalogues are cached per language
    thai = make_registration(symposium, locale="th")
    khmer = make_registration(symposium, locale="km")

    message = render_message(messages.approved(thai))
    assert message.locale == "th" and 'lang="th"' in message.html
    assert message.subject == f"ยืนยันที่นั่งของคุณใน {symposium.title} แล้ว"
    assert format_date(symposium.starts_on, "medium", locale="th") in message.text
    assert Locale("th").territories["TH"] in message.text
    # The Thai catalogue holds only this email: another one to the same delegate stays English.
    assert render_message(messages.waitlisted(thai)).locale == "en"
    assert render_message(messages.approved(khmer)).locale == "en"


def test_with_the_shipped_khmer_catalogue_the_email_is_khmer_throughout(db, symposium, make_registration):
    registration = make_registration(symposium, full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", locale="km")
    approved = render_message(messages.approved(registration))
    assert approved.locale == "km" and 'lang="km"' in approved.html
    assert approved.text.startswith("ជម្រាបសួរ សុខ ចាន់ធី,")
    assert format_date(symposium.starts_on, "medium", locale="km") in approved.text
    assert "Dear" not in approved.text and "Thailand" not in approved.text
