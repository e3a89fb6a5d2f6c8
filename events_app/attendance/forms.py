"""Forms of the check-in desk: scan, name search, undo/revoke, and a walk-in's short registration."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from events_app.choices import StakeholderGroup
from events_app.countries import country_choices
from events_app.forms import CleanForm, IdField, MultiCheckboxField
from events_app.registration import validation
from events_app.registration.validation import FieldError

SEARCH_LENGTH = 200  # longer text is cut, not refused: a scanner or a paste may run on


class DeskForm(CleanForm):
    """The desk page's query arguments (a GET form: no CSRF): the day, and a name to find."""

    class Meta:
        csrf = False

    day = DateField(validators=[Optional()])
    session = IdField(validators=[Optional()])
    q = StringField(_l("Or find a name"), filters=[lambda text: text[:SEARCH_LENGTH] if text else ""])


class ScanForm(CleanForm):
    """A scanned (or typed) badge code; a keyboard-wedge scanner types it and presses Enter."""

    code = StringField(_l("Badge code"), validators=[DataRequired(), Length(max=200)])
    day = DateField(validators=[Optional()])
    session = IdField(validators=[Optional()])


class SearchCheckInForm(CleanForm):
    """Check in (or undo the check-in of) a delegate found by name."""

    registration_id = IdField(widget=HiddenInput(), validators=[DataRequired()])
    day = DateField(validators=[Optional()])
    session = IdField(validators=[Optional()])


class RevokeForm(SearchCheckInForm):
    """A lost badge: revoke the delegate's code and issue a new one."""


def _checked(check):
    """A registration.validation check as a WTForms validator that may rewrite the value."""

    def validator(form, field):
        if field.data:
            try:
                field.data = check(field.data)
            except FieldError as error:
                raise ValidationError(str(error)) from error

    return validator


class WalkInForm(CleanForm):
    """Someone who arrives unregistered: the least the registration rules and the badge need."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter their name.")), Length(max=200)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[Optional(), Length(max=200)],
                             description=_l("If the name above is in another script."))
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter their email address.")), Length(max=254),
                                                _checked(validation.normalise_email)])
    organisation = StringField(_l("Organisation"),
                               validators=[DataRequired(_l("Enter their organisation.")), Length(max=200)])
    stakeholder_group = SelectField(_l("Stakeholder group"), choices=StakeholderGroup.choices(),
                                    validators=[InputRequired(_l("Choose a stakeholder group."))])
    country = SelectField(_l("Country"), validate_choice=False,
                          validators=[InputRequired(_l("Choose a country.")), _checked(validation.check_country)])
    data_consent = BooleanField(_l("They have read the privacy notice and agree to it"),
                                validators=[DataRequired(_l("They must agree to the privacy notice to register."))])
    day = DateField(validators=[Optional()], widget=HiddenInput())
    session = IntegerField(validators=[Optional()], widget=HiddenInput())

    def __init__(self, *args, locale: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.stakeholder_group.choices = [("", "Choose…"), *StakeholderGroup.choices()]
        self.country.choices = [("", "Choose…"), *country_choices(locale)]

    def registration_data(self) -> dict:
        """The registration service's data dictionary."""
        return {"full_name": self.full_name.data, "name_latin": self.name_latin.data or "",
                "email": self.email.data, "organisation": self.organisation.data,
                "stakeholder_group": StakeholderGroup(self.stakeholder_group.data),
                "country": self.country.data, "data_consent": True}


class DeskSettingsForm(CleanForm):
    """The organisers' choice for the desk."""

    walkins_approved = BooleanField(_l("Approve walk-ins at once"),
                                    description=_l("Otherwise a walk-in is registered as pending and waits for "
                                                   "an organiser's approval before they can be checked in."))


class SignInSheetForm(CleanForm):
    """The names ticked on a paper sign-in sheet, entered afterwards for one day."""

    attended = MultiCheckboxField("Attended", coerce=int, validators=[DataRequired("Tick at least one name.")])
    day = DateField(validators=[Optional()], widget=HiddenInput())
    session = IntegerField(validators=[Optional()], widget=HiddenInput())

    def for_people(self, people) -> "SignInSheetForm":
        """Offer these delegates (and no one else) to tick."""
        self.attended.choices = [(p.id, p.full_name + (f" ({p.name_latin})" if p.name_latin and
                                                         p.name_latin != p.full_name else "")
                                  + f" — {p.organisation}") for p in people]
        return self


SESSION_KINDS = [("plenary", "Plenary"), ("working_group", "Working group"), ("other", "Other")]


class SessionForm(CleanForm):
    """A session of one event day."""

    day = SelectField("Day", validators=[InputRequired("Choose the day.")])
    title = StringField("Title", validators=[DataRequired("Give the session a title."), Length(max=200)])
    kind = SelectField("Kind", choices=SESSION_KINDS)

    def for_event(self, event) -> "SessionForm":
        """Offer the event's days."""
        self.day.choices = [(d.isoformat(), d.strftime("%a %d %b %Y")) for d in event.days]
        return self


class RemoveSessionForm(CleanForm):
    """Which session to remove."""

    session = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
