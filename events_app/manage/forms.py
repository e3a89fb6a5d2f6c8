"""Forms of the organisers' workspace."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from events_app.choices import Status

ACTIONS = {"approve": Status.APPROVED, "decline": Status.DECLINED, "waitlist": Status.WAITLISTED,
           "cancel": Status.CANCELLED, "reopen": Status.PENDING}


class StatusActionForm(FlaskForm):
    """Change one delegate's status, with an optional reason the delegate sees."""

    action = StringField(validators=[DataRequired(), AnyOf(list(ACTIONS))])
    reason = TextAreaField(_l("Reason (sent to the delegate)"), validators=[Optional(), Length(max=2000)])


class DelegateFilterForm(FlaskForm):
    """Search and filter the delegate list (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=[("", _l("All"))] + Status.choices(), validators=[Optional()])
