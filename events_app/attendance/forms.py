"""Forms of the check-in desk."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from events_app.forms import CleanForm


class ScanForm(CleanForm):
    """A scanned (or typed) badge code; a keyboard-wedge scanner types it and presses Enter."""

    code = StringField(_l("Badge code"), validators=[DataRequired(), Length(max=200)])
    day = DateField(validators=[Optional()])


class SearchCheckInForm(CleanForm):
    """Check in a delegate found by name."""

    registration_id = HiddenField(validators=[DataRequired()])
    day = DateField(validators=[Optional()])
