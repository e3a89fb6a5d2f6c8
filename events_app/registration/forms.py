"""The registration form: one field per data-dictionary entry, errors beside each field."""
import secrets
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from events_app.choices import LANGUAGE_CODES, LANGUAGE_LABELS, Dietary, Gender, StakeholderGroup
from events_app.countries import country_choices
from events_app.registration import validation
from events_app.registration.models import DELEGATE_FIELDS
from events_app.registration.validation import FieldError

HONORIFICS = ["", "Ms.", "Mr.", "Mx.", "Dr.", "Prof.", "H.E.", "Hon.", "Ven.", "U", "Daw"]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _field_rule(check):
    """Turn a validation.check_* function into a WTForms validator that may rewrite the data."""

    def validator(form, field):
        if not field.data:
            return
        try:
            result = check(form, field.data)
        except FieldError as error:
            raise ValidationError(str(error)) from error
        if result is not None:
            field.data = result

    return validator


class RegistrationForm(FlaskForm):
    """What a delegate tells us about themselves."""

    class Meta:
        # Names keep what people typed, minus stray spaces from phone keyboards.
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class in (StringField, TextAreaField, EmailField):
                filters = [_strip, *unbound_field.kwargs.get("filters", [])]
                return unbound_field.bind(form=form, filters=filters, **options)
            return unbound_field.bind(form=form, **options)

    submission_key = HiddenField()
    full_name = StringField(
        _l("Full name"),
        description=_l("As you write it, in any script."),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=200)],
    )
    name_latin = StringField(
        _l("Name in Latin letters"),
        description=_l("Needed if your name is not written in Latin letters."),
        validators=[Length(max=200)],  # no Optional(): its emptiness is checked against full_name
    )
    badge_name = StringField(
        _l("Name on your badge"),
        description=_l("Leave empty to use your full name."),
        validators=[Optional(), Length(max=200)],
    )
    honorific = SelectField(_l("Title"), choices=[(h, h or "—") for h in HONORIFICS], default="")
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=254),
            _field_rule(lambda form, value: validation.normalise_email(value)),
        ],
    )
    phone = StringField(
        _l("Phone (with country code)"),
        validators=[Optional(), Length(max=40)],
    )
    organisation = StringField(
        _l("Organisation"), validators=[DataRequired(_l("Please enter your organisation.")), Length(max=200)]
    )
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    stakeholder_group = SelectField(
        _l("Stakeholder group"),
        choices=[("", _l("Choose…"))] + StakeholderGroup.choices(),
        validators=[InputRequired(_l("Please choose a stakeholder group."))],
    )
    country = SelectField(
        _l("Country"),
        validators=[
            InputRequired(_l("Please choose your country.")),
            _field_rule(lambda form, value: validation.check_country(value)),
        ],
    )
    region = StringField(_l("Region or province"), validators=[Optional(), Length(max=100)])
    gender = SelectField(
        _l("Gender (optional, for balance statistics only)"),
        choices=[("", "—")] + Gender.choices(),
        validators=[Optional()],
        default="",
    )
    languages = MultiCheckboxField(
        _l("Interpretation you need"),
        choices=[(code, LANGUAGE_LABELS[code]) for code in LANGUAGE_CODES],
        validators=[Optional()],
    )
    dietary = SelectField(_l("Diet"), choices=[("", "—")] + Dietary.choices(), default="")
    dietary_notes = StringField(_l("Diet notes or allergies"), validators=[Optional(), Length(max=500)])
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[Optional(), Length(max=1000)])
    needs_visa_letter = BooleanField(_l("I need a visa invitation letter"))
    nationality = StringField(_l("Nationality"), validators=[Optional(), Length(max=100)])
    passport_number = StringField(_l("Passport number"), validators=[Optional(), Length(max=40)])
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])
    passport_expiry = DateField(_l("Passport expiry date"), validators=[Optional()])
    travel_support_requested = BooleanField(_l("I ask for travel support"))
    accommodation_needed = BooleanField(_l("I need accommodation"))
    arrival_date = DateField(_l("Arrival date"), validators=[Optional()])
    departure_date = DateField(_l("Departure date"), validators=[Optional()])
    list_publicly = BooleanField(_l("List my name and organisation on the public participant list"))
    photo_consent = BooleanField(_l("I agree to be photographed"))
    data_consent = BooleanField(
        _l("I agree that my data is used to organise this event, as the privacy notice says"),
        validators=[DataRequired(_l("We need your agreement to register you."))],
    )
    locale = HiddenField(default="en")

    def __init__(self, *args, locale: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _("Choose…"))] + country_choices(locale)
        if not self.submission_key.data:
            self.submission_key.data = secrets.token_urlsafe(24)

    def validate_name_latin(self, field):
        try:
            validation.check_name_latin(self.full_name.data or "", field.data or "")
        except FieldError as error:
            raise ValidationError(str(error)) from error

    def validate_phone(self, field):
        try:
            field.data = validation.normalise_phone(field.data, self.country.data)
        except FieldError as error:
            raise ValidationError(str(error)) from error

    def validate_departure_date(self, field):
        try:
            validation.check_date_order(
                self.arrival_date.data, field.data, _("The departure date is before the arrival date.")
            )
        except FieldError as error:
            raise ValidationError(str(error)) from error

    def validate_passport_expiry(self, field):
        if self.needs_visa_letter.data and field.data and field.data < date.today():
            raise ValidationError(_("This passport has expired."))

    def validate_date_of_birth(self, field):
        if field.data and field.data >= date.today():
            raise ValidationError(_("The date of birth must be in the past."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.needs_visa_letter.data:
            for name in ("nationality", "passport_number", "date_of_birth", "passport_expiry"):
                field = getattr(self, name)
                if not field.data and not field.errors:
                    field.errors = [*field.errors, _("Needed for the visa letter.")]
                    valid = False
        return valid

    def delegate_data(self) -> dict:
        """The validated values in data-dictionary form, ready for the registration service."""
        data = {name: getattr(self, name).data for name in DELEGATE_FIELDS}
        data["gender"] = data["gender"] or None
        for name in ("date_of_birth", "passport_expiry"):
            data[name] = data[name].isoformat() if data[name] else None
        data["locale"] = (data["locale"] or "en")[:8]
        return data

