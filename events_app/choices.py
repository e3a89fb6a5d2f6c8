"""The enumerations of the data dictionary and their translated labels, in one place."""
import enum

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from events_app.i18n import interpretation_label


class Choice(enum.StrEnum):
    """A str-valued enum whose members carry a translated label."""

    @property
    def label(self) -> str:
        return str(LABELS.get(self, self.value))

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a form select."""
        return [(member.value, member.label) for member in cls]


class Status(Choice):
    PENDING = "pending"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class StakeholderGroup(Choice):
    GOVERNMENT = "government"
    NGO = "ngo"
    MIGRANT_GROUP = "migrant_group"
    TRADE_UNION = "trade_union"
    INTERNATIONAL_ORG = "international_org"
    UN_AGENCY = "un_agency"
    ACADEMIC = "academic"
    MEDIA = "media"
    DONOR = "donor"
    PRIVATE_SECTOR = "private_sector"
    OTHER = "other"


class Gender(Choice):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class ParticipantRole(Choice):
    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    RAPPORTEUR = "rapporteur"
    OBSERVER = "observer"
    ORGANISER = "organiser"
    STAFF = "staff"
    PRESS = "press"
    INTERPRETER = "interpreter"


class UserRole(Choice):
    ADMIN = "admin"
    ORGANISER = "organiser"
    STAFF = "staff"
    RAPPORTEUR = "rapporteur"


class EventRole(Choice):
    """What a user may do at one event (granted per event; admins may do everything everywhere)."""

    ORGANISER = "organiser"
    STAFF = "staff"
    RAPPORTEUR = "rapporteur"


class JobStatus(Choice):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Dietary(Choice):
    NONE = "none"
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    HALAL = "halal"
    KOSHER = "kosher"
    NO_PORK = "no_pork"
    NO_BEEF = "no_beef"
    OTHER = "other"


class QuotaKind(Choice):
    """What a quota caps: the places of one stakeholder group or of one country."""

    STAKEHOLDER_GROUP = "stakeholder_group"
    COUNTRY = "country"


# The data dictionary's fields that a registrant (or an import row) may set, in form order.
DELEGATE_FIELDS = (
    "full_name", "name_latin", "badge_name", "honorific", "email", "phone", "organisation", "position",
    "stakeholder_group", "country", "region", "gender", "languages", "dietary", "dietary_notes",
    "accessibility_needs", "needs_visa_letter", "nationality", "passport_number", "date_of_birth",
    "passport_expiry", "travel_support_requested", "accommodation_needed", "arrival_date",
    "departure_date", "list_publicly", "photo_consent", "data_consent", "locale",
)
# The passport details asked for a visa letter (sensitive: encrypted at rest, erased after the event).
VISA_FIELDS = ("nationality", "passport_number", "date_of_birth", "passport_expiry")

# Yes/no as people write it in spreadsheets and environment variables (INTERFACES.md "Files").
TRUE_WORDS = frozenset({"y", "yes", "true", "1", "on"})
FALSE_WORDS = frozenset({"n", "no", "false", "0", "off", ""})


def parse_boolean(value: str | None) -> bool:
    """y/yes/true/1/on and n/no/false/0/off/empty, in any case; anything else raises ValueError."""
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value.strip()!r} is not yes or no (write y/yes/true/1 or n/no/false/0, or leave it empty)")


# Interpretation languages a delegate may need (data dictionary: `languages`).
LANGUAGE_CODES = ["en", "km", "lo", "my", "th", "vi", "zh"]

LABELS = {
    Status.PENDING: _l("Pending"),
    Status.APPROVED: _l("Approved"),
    Status.WAITLISTED: _l("Waiting list"),
    Status.DECLINED: _l("Declined"),
    Status.CANCELLED: _l("Cancelled"),
    StakeholderGroup.GOVERNMENT: _l("Government"),
    StakeholderGroup.NGO: _l("NGO"),
    StakeholderGroup.MIGRANT_GROUP: _l("Migrant group"),
    StakeholderGroup.TRADE_UNION: _l("Trade union"),
    StakeholderGroup.INTERNATIONAL_ORG: _l("International organisation"),
    StakeholderGroup.UN_AGENCY: _l("UN agency"),
    StakeholderGroup.ACADEMIC: _l("Academic"),
    StakeholderGroup.MEDIA: _l("Media"),
    StakeholderGroup.DONOR: _l("Donor"),
    StakeholderGroup.PRIVATE_SECTOR: _l("Private sector"),
    StakeholderGroup.OTHER: _l("Other"),
    Gender.WOMAN: _l("Woman"),
    Gender.MAN: _l("Man"),
    Gender.NON_BINARY: _l("Non-binary"),
    Gender.PREFER_NOT_TO_SAY: _l("Prefer not to say"),
    ParticipantRole.PARTICIPANT: _l("Participant"),
    ParticipantRole.SPEAKER: _l("Speaker"),
    ParticipantRole.MODERATOR: _l("Moderator"),
    ParticipantRole.RAPPORTEUR: _l("Rapporteur"),
    ParticipantRole.OBSERVER: _l("Observer"),
    ParticipantRole.ORGANISER: _l("Organiser"),
    ParticipantRole.STAFF: _l("Staff"),
    ParticipantRole.PRESS: _l("Press"),
    ParticipantRole.INTERPRETER: _l("Interpreter"),
    UserRole.ADMIN: _l("Administrator"),
    UserRole.ORGANISER: _l("Organiser"),
    UserRole.STAFF: _l("Staff"),
    UserRole.RAPPORTEUR: _l("Rapporteur"),
    Dietary.NONE: _l("No special diet"),
    Dietary.VEGETARIAN: _l("Vegetarian"),
    Dietary.VEGAN: _l("Vegan"),
    Dietary.HALAL: _l("Halal"),
    Dietary.KOSHER: _l("Kosher"),
    Dietary.NO_PORK: _l("No pork"),
    Dietary.NO_BEEF: _l("No beef"),
    Dietary.OTHER: _l("Other"),
    QuotaKind.STAKEHOLDER_GROUP: _l("Stakeholder group"),
    QuotaKind.COUNTRY: _l("Country"),
}



def _interpretation_label(code: str) -> str:
    return interpretation_label(code, str(get_locale() or "en"))


# Each interpretation language named from CLDR in the reader's language, with its own name beside it.
LANGUAGE_LABELS = {code: LazyString(_interpretation_label, code) for code in LANGUAGE_CODES}

# Labels of the data-dictionary fields: the form, emails ("what changed") and exports use these.
FIELD_LABELS = {
    "full_name": _l("Full name"),
    "name_latin": _l("Name in Latin letters"),
    "badge_name": _l("Name on your badge"),
    "honorific": _l("Title"),
    "email": _l("Email"),
    "phone": _l("Phone (with country code)"),
    "organisation": _l("Organisation"),
    "position": _l("Position"),
    "stakeholder_group": _l("Stakeholder group"),
    "country": _l("Country"),
    "region": _l("Region or province"),
    "gender": _l("Gender (for balance statistics only)"),
    "languages": _l("Interpretation you need"),
    "dietary": _l("Diet"),
    "dietary_notes": _l("Diet notes or allergies"),
    "accessibility_needs": _l("Accessibility needs"),
    "needs_visa_letter": _l("I need a visa invitation letter"),
    "nationality": _l("Nationality"),
    "passport_number": _l("Passport number"),
    "date_of_birth": _l("Date of birth"),
    "passport_expiry": _l("Passport expiry date"),
    "travel_support_requested": _l("I ask for travel support"),
    "accommodation_needed": _l("I need accommodation"),
    "arrival_date": _l("Arrival date"),
    "departure_date": _l("Departure date"),
    "list_publicly": _l("List my name and organisation on the public participant list"),
    "photo_consent": _l("I agree to be photographed"),
    "data_consent": _l("I agree that my data is used to organise this event, as the privacy notice says"),
    "answers": _l("Answers to the event's questions"),
    "locale": _l("Language"),
}
