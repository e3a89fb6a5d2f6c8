"""The recommendations document built from the database, in English or one of the event's languages.

One function per format (PDF, Markdown, DOCX) serves both the download in /manage and
`flask documents recommendations`; they only read.
"""
from __future__ import annotations

from itertools import groupby
from typing import BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from events_app.choices import LANGUAGE_LABELS, Status
from events_app.countries import country_name
from events_app.documents.data import event_info
from events_app.documents.records import DocumentReport
from events_app.extensions import db
from events_app.recommendations.document import render_recommendations
from events_app.recommendations.endorsements import endorsing_organisations
from events_app.recommendations.exports import to_markdown, write_docx
from events_app.recommendations.records import (
    AddresseeGroup,
    CountryOrganisations,
    NumberedRecommendation,
    RecommendationsDocument,
    ThemeSection,
    Wording,
)
from events_app.recommendations.services import (
    TRANSLATION_LANGUAGES,
    RecommendationError,
    addressee_key,
    numbered,
    settings_for,
)
from events_app.registration.models import Registration

LANGUAGES = ("en", *TRANSLATION_LANGUAGES)


def document_languages(event) -> list[tuple[str, str]]:
    """(code, label) of the languages the document can be made in: English and those with translations."""
    used = {code for _, rec in numbered(event) for code in rec.translations}
    return [(code, LANGUAGE_LABELS[code]) for code in LANGUAGES if code == "en" or code in used]


def check_language(lang: str | None) -> str:
    """The language code asked for, or RecommendationError naming the ones there are."""
    lang = (lang or "en").strip().lower()
    if lang not in LANGUAGES:
        raise RecommendationError(f"no language {lang!r}: choose one of {', '.join(LANGUAGES)}", field="lang")
    return lang


def _wording(lang: str) -> Wording:
    with force_locale(lang):
        return Wording(kind=_("Recommendations"), preamble=_("Preamble"), addressed_to=_("Addressed to"),
                       source=_("From"), participants=_("Participating organisations"),
                       endorsers=_("Organisations endorsing these recommendations"),
                       none_adopted=_("No recommendation has been adopted yet."),
                       page=_("Page %(page)s of %(pages)s", page="%(page)s", pages="%(pages)s"))


def _by_country(pairs) -> tuple[CountryOrganisations, ...]:
    return tuple(CountryOrganisations(country, tuple(dict.fromkeys(org for _, org in group)))
                 for country, group in groupby(sorted(pairs), key=lambda pair: pair[0]))


def _participants(event) -> list[tuple[str, str]]:
    """(country, organisation) of approved delegates who agreed to be listed publicly."""
    rows = db.session.execute(select(Registration.country, Registration.organisation).where(
        Registration.event_id == event.id, Registration.status == Status.APPROVED, Registration.list_publicly))
    return [(country_name(country), " ".join(org.split())) for country, org in rows if org.strip()]


def build_document(event, lang: str = "en") -> RecommendationsDocument:
    """The document's records: the adopted recommendations by theme and addressee, numbered in order."""
    lang = check_language(lang)
    sections = []
    adopted = numbered(event)
    for theme, in_theme in groupby(adopted, key=lambda pair: pair[1].theme):
        groups = []
        for _key, in_group in groupby(in_theme, key=lambda pair: addressee_key(pair[1])):
            in_group = list(in_group)
            recs = tuple(_numbered(number, rec, lang) for number, rec in in_group)
            groups.append(AddresseeGroup(tuple(a.name for a in in_group[0][1].addressees), recs))
        sections.append(ThemeSection(theme.name, tuple(groups)))
    return RecommendationsDocument(
        event=event_info(event, with_logo=False), language=lang, wording=_wording(lang),
        preamble=settings_for(event).preamble, sections=tuple(sections),
        participants=_by_country(_participants(event)), endorsers=_by_country(endorsing_organisations(event)),
    )


def _numbered(number: int, rec, lang: str) -> NumberedRecommendation:
    translated = rec.translations.get(lang) if lang != "en" else None
    return NumberedRecommendation(number, translated or rec.text, rec.source, rec.text if translated else "")


def recommendations_pdf(event, out: BinaryIO, *, lang: str = "en", font_dirs=None) -> DocumentReport:
    """Render the recommendations document as a PDF into out."""
    fonts = current_app.config.get("FONT_DIRS", []) if font_dirs is None else font_dirs
    return render_recommendations(build_document(event, lang), out, font_dirs=fonts)


def recommendations_markdown(event, *, lang: str = "en") -> str:
    """The recommendations document as Markdown."""
    return to_markdown(build_document(event, lang))


def recommendations_docx(event, out: BinaryIO, *, lang: str = "en") -> None:
    """Write the recommendations document as a DOCX file into out."""
    write_docx(build_document(event, lang), out)
