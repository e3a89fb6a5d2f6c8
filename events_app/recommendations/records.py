"""Plain, frozen records of a recommendations document: what the PDF, Markdown and DOCX exports print.

Built from the database by `publishing.py`; the renderers take only these, so the same document is
drawn for a download, the command line and the tests without a database or a Flask app.
"""
from __future__ import annotations

from dataclasses import dataclass

from events_app.documents.records import EventInfo


@dataclass(frozen=True, slots=True)
class NumberedRecommendation:
    """One adopted recommendation with its number; `english` is the original beneath a translation."""

    number: int
    text: str
    source: str = ""  # the working group or session it came from
    english: str = ""


@dataclass(frozen=True, slots=True)
class AddresseeGroup:
    """The recommendations of one theme addressed to the same addressees."""

    addressees: tuple[str, ...]
    recommendations: tuple[NumberedRecommendation, ...]


@dataclass(frozen=True, slots=True)
class ThemeSection:
    """One theme and its recommendations, grouped by addressee."""

    theme: str
    groups: tuple[AddresseeGroup, ...]


@dataclass(frozen=True, slots=True)
class CountryOrganisations:
    """The organisations of one country, for the lists of participating and endorsing organisations."""

    country: str
    organisations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Wording:
    """The document's own words in its language."""

    kind: str = "Recommendations"
    preamble: str = "Preamble"
    addressed_to: str = "Addressed to"
    source: str = "From"
    participants: str = "Participating organisations"
    endorsers: str = "Organisations endorsing these recommendations"
    none_adopted: str = "No recommendation has been adopted yet."
    page: str = "Page %(page)s of %(pages)s"


@dataclass(frozen=True, slots=True)
class RecommendationsDocument:
    """Everything the recommendations document shows, in order."""

    event: EventInfo
    language: str
    wording: Wording
    preamble: str
    sections: tuple[ThemeSection, ...]
    participants: tuple[CountryOrganisations, ...] = ()
    endorsers: tuple[CountryOrganisations, ...] = ()

    @property
    def recommendations(self) -> tuple[NumberedRecommendation, ...]:
        """Every recommendation in the order (and with the numbers) the document prints them."""
        return tuple(rec for section in self.sections for group in section.groups for rec in group.recommendations)

    @property
    def preamble_paragraphs(self) -> tuple[str, ...]:
        """The preamble's paragraphs (separated by empty lines when it was written)."""
        paragraphs = [" ".join(p.split()) for p in self.preamble.replace("\r\n", "\n").split("\n\n")]
        return tuple(p for p in paragraphs if p)
