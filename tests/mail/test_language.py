"""One language per email: the delegate's when the email is translated into it, English otherwise, dates included."""
from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import get_domain

from events_app.mail import bulk, messages


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

    approved = messages.approved(registration)
    assert "Dear សុខ ចាន់ធី," in approved.body_text  # the delegate's name stays as they wrote it
    for message in (approved, messages.reminder(registration, days=7),
                    messages.bulk(registration, subject="Programme",
                                  body=bulk.fill("The symposium runs {dates} at {venue}.", registration))):
        assert message.locale == "en" and 'lang="en"' in message.body_html
        english_dates = f"{format_date(symposium.starts_on, 'medium', locale='en')} – "
        assert english_dates in message.body_text and english_dates in message.body_html
        assert "Bangkok, Thailand" in message.body_text
        written = message.body_text + message.body_html
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

    message = messages.approved(thai)
    assert message.locale == "th" and 'lang="th"' in message.body_html
    assert message.subject == f"ยืนยันที่นั่งของคุณใน {symposium.title} แล้ว"
    assert format_date(symposium.starts_on, "medium", locale="th") in message.body_text
    assert Locale("th").territories["TH"] in message.body_text
    # The Thai catalogue holds only this email: another one to the same delegate stays English.
    assert messages.waitlisted(thai).locale == "en"
    assert messages.approved(khmer).locale == "en"


def test_with_the_shipped_khmer_catalogue_the_email_is_khmer_throughout(db, symposium, make_registration):
    registration = make_registration(symposium, full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", locale="km")
    approved = messages.approved(registration)
    assert approved.locale == "km" and 'lang="km"' in approved.body_html
    assert approved.body_text.startswith("ជម្រាបសួរ សុខ ចាន់ធី,")
    assert format_date(symposium.starts_on, "medium", locale="km") in approved.body_text
    assert "Dear" not in approved.body_text and "Thailand" not in approved.body_text
