"""Forms of the organisers' workspace."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError

from events_app.choices import Status
from events_app.forms import CleanForm

ACTIONS = {"approve": Status.APPROVED, "decline": Status.DECLINED, "waitlist": Status.WAITLISTED,
           "cancel": Status.CANCELLED, "reopen": Status.PENDING}


class ReturningForm(CleanForm):
    """A workspace form that sends the organiser back where they were (the list with its filter and page)."""

    # Only a workspace path, so the form cannot redirect off the site.
    back = HiddenField(validators=[Optional(), Length(max=500)])

    def validate_back(self, field):
        if not field.data.startswith("/manage/") or "//" in field.data or "\\" in field.data:
            raise ValidationError("not a workspace path")

    def back_or(self, default: str) -> str:
        """The validated page to return to, or `default`."""
        return self.back.data if self.back.data and not self.back.errors else default


class StatusActionForm(ReturningForm):
    """Change one delegate's status, with an optional reason the delegate sees."""

    action = StringField(validators=[DataRequired(), AnyOf(list(ACTIONS))])
    reason = TextAreaField(_l("Reason (sent to the delegate)"), validators=[Optional(), Length(max=2000)])


class DelegateFilterForm(CleanForm):
    """Search and filter the delegate list (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=[("", _l("All"))] + Status.choices(), validators=[Optional()])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])


class BulkActionForm(ReturningForm):
    """The same status change for the delegates ticked in the list."""

    ids = SelectMultipleField(coerce=int, validate_choice=False,
                              validators=[DataRequired(_l("Tick at least one delegate."))])
    action = SelectField(_l("Action"), choices=[("approve", _l("Approve")), ("waitlist", _l("Waitlist")),
                                                ("decline", _l("Decline")), ("cancel", _l("Cancel"))],
                         validators=[AnyOf(list(ACTIONS))])
    reason = TextAreaField(_l("Reason (sent to the delegates)"), validators=[Optional(), Length(max=2000)])


class InviteForm(CleanForm):
    """Invitees, one a line: an email, 'email, name' or 'Name <email>'."""

    invitees = TextAreaField(_l("Invitees, one per line"),
                             description=_l("An email address, optionally followed by a comma and the name."),
                             validators=[DataRequired(_l("Enter at least one email address.")), Length(max=200_000)])


class OpenCodeForm(CleanForm):
    """A single-use code that is not bound to an email address."""

    note = StringField(_l("Note (who it is for)"), validators=[Optional(), Length(max=200)])
