"""Field messages in the participant's language: WTForms' own (too long, not a date, not in the list) are English.

Every validator and field a participant meets is built here with a message the catalogues translate.
"""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import Length

TOO_LONG = _l("Please use at most %(max)d characters.")
NOT_A_DATE = _l("Please enter a date, like 2026-03-31.")
NOT_IN_LIST = _l("Please choose from the list.")


def at_most(length: int) -> Length:
    """A length limit whose message is in the participant's language."""
    return Length(max=length, message=TOO_LONG)


def date_field(label, **kwargs) -> DateField:
    """A date whose 'not a date' message is in the participant's language."""
    return DateField(label, invalid_value_message=NOT_A_DATE, **kwargs)


def choice_field(label, field_class=SelectField, **kwargs):
    """A list to choose from whose 'not in the list' message is in the participant's language."""
    return field_class(label, invalid_choice_message=NOT_IN_LIST, **kwargs)
