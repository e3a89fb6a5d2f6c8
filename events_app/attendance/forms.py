"""Forms of the check-in desk."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from events_app.forms import CleanForm, IdField

SEARCH_LENGTH = 200  # longer text is cut, not refused: a scanner or a paste may run on


class DeskForm(CleanForm):
    """The desk page's query arguments (a GET form: no CSRF): the day, and a name to find."""

    class Meta:
        csrf = False

    day = DateField(validators=[Optional()])
    q = StringField(_l("Or find a name"), filters=[lambda text: text[:SEARCH_LENGTH] if text else ""])


class ScanForm(CleanForm):
    """A scanned (or typed) badge code; a keyboard-wedge scanner types it and presses Enter."""

    code = StringField(_l("Badge code"), validators=[DataRequired(), Length(max=200)])
    day = DateField(validators=[Optional()])


class SearchCheckInForm(CleanForm):
    """Check in a delegate found by name."""

    registration_id = IdField(widget=HiddenInput(), validators=[DataRequired()])
    day = DateField(validators=[Optional()])
