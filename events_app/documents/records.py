"""Plain, frozen records the PDF renderers draw: an event, a badge, a listed delegate, a certificate, a letter.

Renderers take only these, so a document can be drawn for a download, an email attachment, the CLI
or a benchmark without a database or a Flask app. This module imports nothing but the standard
library and the font report (reportlab): `data.py` and the sub-packages' queries build the records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from events_app.documents.fonts import FontReport


@dataclass(frozen=True, slots=True)
class ColourKey:
    """One entry of the badge colour legend."""

    key: str
    label: str
    colour: str  # "#rrggbb"


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What the documents print about an event."""

    title: str
    dates: str
    starts_on: date | None = None
    ends_on: date | None = None
    venue: str = ""
    city: str = ""
    country: str = ""
    colour_by: str = "participant_role"  # or "stakeholder_group"
    legend: tuple[ColourKey, ...] = ()
    contact_email: str = ""
    letterhead_text: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    signatory_organisation: str = ""
    attendance_threshold_days: int = 1
    # PNG or JPEG bytes (checked on upload); renderers read them once per run.
    logo: bytes | None = field(default=None, repr=False)
    signature: bytes | None = field(default=None, repr=False)  # printed above the signatory on visa letters

    def colour(self, key: str) -> ColourKey:
        """The legend entry for a key (grey and the key itself when the legend lacks it)."""
        for entry in self.legend:
            if entry.key == key:
                return entry
        return ColourKey(key, key.replace("_", " ").capitalize(), "#566573")

    @property
    def place(self) -> str:
        """Venue, city and country on one line."""
        return ", ".join(p for p in (self.venue, self.city, self.country) if p)

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the event (none when its dates are not given)."""
        if self.starts_on is None or self.ends_on is None:
            return ()
        return tuple(self.starts_on + timedelta(days=i) for i in range((self.ends_on - self.starts_on).days + 1))


@dataclass(frozen=True, slots=True)
class BadgeData:
    """What one delegate's badge (and ticket) shows. Never a database id: only the check-in code."""

    badge_name: str
    checkin_code: str
    organisation: str = ""
    country: str = ""
    name_latin: str = ""  # only when it differs from badge_name
    honorific: str = ""
    participant_role: str = ""  # label, e.g. "Speaker"
    stakeholder_group: str = ""  # label, e.g. "Trade union"
    colour_key: str = "participant"

    @property
    def display_name(self) -> str:
        """The name to cite in warnings: the Latin form when there is one."""
        return self.name_latin or self.badge_name


@dataclass(frozen=True, slots=True)
class Delegate:
    """One approved delegate as a list or sheet shows them (email and phone only when asked for)."""

    full_name: str
    name_latin: str = ""  # only when it differs from full_name
    sort_name: str = ""
    honorific: str = ""
    organisation: str = ""
    position: str = ""
    country: str = ""  # "Yunnan, China" when a region is given
    country_group: str = ""  # the country's name alone, for grouping
    stakeholder_group: str = ""  # label
    stakeholder_order: int = 0  # the group's place in the data dictionary, for grouping
    participant_role: str = ""  # label
    email: str = ""
    phone: str = ""
    list_publicly: bool = False

    @property
    def display_name(self) -> str:
        """The name to cite in warnings: the Latin form when there is one."""
        return self.name_latin or self.full_name


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A delegate who attended enough days for a certificate, and which days."""

    full_name: str
    name_latin: str
    organisation: str
    country: str
    days: tuple[date, ...]

    @property
    def display_name(self) -> str:
        """The name to cite in warnings."""
        return self.name_latin or self.full_name


@dataclass(frozen=True, slots=True)
class LetterRow:
    """A delegate who asked for a visa invitation letter, with their passport details."""

    reference: str
    full_name: str
    name_latin: str
    honorific: str
    organisation: str
    position: str
    country: str
    nationality: str
    passport_number: str
    date_of_birth: date | str | None
    passport_expiry: date | str | None
    arrival_date: date | None = None
    departure_date: date | None = None
    issued_on: date | None = None  # the day it was released to the delegate, in the event's time zone

    @property
    def display_name(self) -> str:
        """The name to cite in warnings."""
        return self.name_latin or self.full_name


@dataclass
class DocumentReport(FontReport):
    """What a render produced, and whose text had no font for its script."""

    kind: str = "document"  # what one item is, for the warning: "certificate", "list entry"...
    items: int = 0
    pages: int = 0

    @property
    def item_word(self) -> str:
        return self.kind
