"""Field rules of the data dictionary, shared by the web form and the importer."""
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from events_app.countries import is_country
from events_app.registration.models import has_non_latin_letters


class FieldError(ValueError):
    """A value breaks a field rule; the message is shown beside the field."""


def normalise_email(value: str) -> str:
    """Syntax-checked, lower-cased email (no DNS look-up: delegates register from anywhere)."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise FieldError(_("Enter a valid email address, like name@example.org.")) from error
    return result.normalized.lower()


def normalise_phone(value: str, country: str | None) -> str:
    """E.164 form of a phone number, read in the delegate's country when it has no +code."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, (country or "").upper() or None)
    except phonenumbers.NumberParseException as error:
        raise FieldError(_("Enter the phone number with its country code, like +66 81 234 5678.")) from error
    if not phonenumbers.is_valid_number(number):
        raise FieldError(_("This phone number does not look valid. Check the digits and the country code."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_name_latin(full_name: str, name_latin: str) -> None:
    """The Latin-script name is needed when the name has letters of another script."""
    if has_non_latin_letters(full_name or "") and not (name_latin or "").strip():
        raise FieldError(_("Please also write your name in Latin letters (for sorting and the badge)."))
    if name_latin and has_non_latin_letters(name_latin):
        raise FieldError(_("Use Latin letters only (A–Z, with accents if needed)."))


def check_country(code: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased."""
    code = (code or "").strip().upper()
    if not is_country(code):
        raise FieldError(_("Choose a country from the list."))
    return code


def check_date_order(earlier: date | None, later: date | None, message: str) -> None:
    """Both dates given and the later one before the earlier is an error."""
    if earlier and later and later < earlier:
        raise FieldError(message)
