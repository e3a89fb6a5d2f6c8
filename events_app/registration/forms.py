"""The registration form: one field per data-dictionary entry, errors beside each field."""
import secrets
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from events_app import i18n
from events_app.choices import (
    DELEGATE_FIELDS,
    FIELD_LABELS,
    LANGUAGE_CODES,
    LANGUAGE_LABELS,
    VISA_FIELDS,
    Dietary,
    Gender,
    StakeholderGroup,
)
from events_app.countries import country_choices
from events_app.forms import CleanForm, MultiCheckboxField
from events_app.registration import validation
from events_app.registration.field_messages import at_most, choice_field, date_field
from events_app.registration.questions import PREFIX, add_question_fields, answers_from_values
from events_app.registration.validation import FieldError

HONORIFICS = ["", "Ms.", "Mr.", "Mx.", "Dr.", "Prof.", "H.E.", "Hon.", "Ven.", "U", "Daw"]


def new_submission_key() -> str:
    """The hidden key that makes a form sent twice one registration (a new one for each form shown)."""
    return secrets.token_urlsafe(24)


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


def _email_field() -> EmailField:
    """The delegate's email, checked the same way on the form and when asking for a lost link."""
    return EmailField(
        FIELD_LABELS["email"],
        validators=[
            DataRequired(_l("Please enter your email address.")),
            at_most(254),
            _field_rule(lambda form, value: validation.normalise_email(value)),
        ],
    )


class RegistrationForm(CleanForm):
    """What a delegate tells us about themselves (names kept as typed, minus stray spaces)."""

    submission_key = HiddenField()
    code = HiddenField()  # the invitation code, for invitation-only events
    full_name = StringField(
        FIELD_LABELS["full_name"],
        description=_l("As you write it, in any script."),
        validators=[DataRequired(_l("Please enter your name.")), at_most(200)],
    )
    name_latin = StringField(
        FIELD_LABELS["name_latin"],
        description=_l("Needed if your name is not written in Latin letters."),
        render_kw={"needed_when": True},  # the label says no "(optional)": the description says when
        validators=[at_most(200)],  # no Optional(): its emptiness is checked against full_name
    )
    badge_name = StringField(
        FIELD_LABELS["badge_name"],
        description=_l("Leave empty to use your full name."),
        validators=[Optional(), at_most(200)],
    )
    honorific = choice_field(FIELD_LABELS["honorific"], choices=[(h, h or "—") for h in HONORIFICS], default="")
    email = _email_field()
    phone = StringField(
        FIELD_LABELS["phone"],
        validators=[Optional(), at_most(40)],
    )
    organisation = StringField(
        FIELD_LABELS["organisation"], validators=[DataRequired(_l("Please enter your organisation.")), at_most(200)]
    )
    position = StringField(FIELD_LABELS["position"], validators=[Optional(), at_most(200)])
    stakeholder_group = choice_field(
        FIELD_LABELS["stakeholder_group"],
        choices=[("", _l("Choose…"))] + StakeholderGroup.choices(),
        validators=[InputRequired(_l("Please choose a stakeholder group."))],
    )
    country = choice_field(
        FIELD_LABELS["country"],
        validate_choice=False,  # check_country below gives the one clear message
        validators=[
            InputRequired(_l("Please choose your country.")),
            _field_rule(lambda form, value: validation.check_country(value)),
        ],
    )
    region = StringField(FIELD_LABELS["region"], validators=[Optional(), at_most(100)])
    gender = choice_field(
        FIELD_LABELS["gender"],
        choices=[("", "—")] + Gender.choices(),
        validators=[Optional()],
        default="",
    )
    languages = choice_field(
        FIELD_LABELS["languages"],
        MultiCheckboxField,
        choices=[(code, LANGUAGE_LABELS[code]) for code in LANGUAGE_CODES],
        validators=[Optional()],
    )
    dietary = choice_field(FIELD_LABELS["dietary"], choices=[("", "—")] + Dietary.choices(), default="")
    dietary_notes = StringField(FIELD_LABELS["dietary_notes"], validators=[Optional(), at_most(500)])
    accessibility_needs = TextAreaField(FIELD_LABELS["accessibility_needs"], validators=[Optional(), at_most(1000)])
    needs_visa_letter = BooleanField(FIELD_LABELS["needs_visa_letter"])
    nationality = StringField(FIELD_LABELS["nationality"], description=_l("Needed for a visa letter."),
                              render_kw={"needed_when": True}, validators=[Optional(), at_most(100)])
    passport_number = StringField(FIELD_LABELS["passport_number"], description=_l("Needed for a visa letter."),
                                  render_kw={"needed_when": True}, validators=[Optional(), at_most(40)])
    date_of_birth = date_field(
        FIELD_LABELS["date_of_birth"],
        description=_l("Needed for a visa letter."),
        render_kw={"needed_when": True},
        validators=[Optional()],
    )
    passport_expiry = date_field(
        FIELD_LABELS["passport_expiry"],
        description=_l("Needed for a visa letter."),
        render_kw={"needed_when": True},
        validators=[Optional()],
    )
    travel_support_requested = BooleanField(FIELD_LABELS["travel_support_requested"])
    accommodation_needed = BooleanField(FIELD_LABELS["accommodation_needed"])
    arrival_date = date_field(FIELD_LABELS["arrival_date"], validators=[Optional()])
    departure_date = date_field(FIELD_LABELS["departure_date"], validators=[Optional()])
    list_publicly = BooleanField(FIELD_LABELS["list_publicly"])
    photo_consent = BooleanField(FIELD_LABELS["photo_consent"])
    data_consent = BooleanField(
        FIELD_LABELS["data_consent"],
        validators=[DataRequired(_l("We need your agreement to register you."))],
    )
    locale = HiddenField(default="en")

    def __init__(self, *args, locale: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _("Choose…")), *country_choices(locale)]
        # The lists' labels are read here, in the page's language: read when the class is made, they were English.
        self.stakeholder_group.choices = [("", _("Choose…")), *StakeholderGroup.choices()]
        self.gender.choices = [("", "—"), *Gender.choices()]
        self.dietary.choices = [("", "—"), *Dietary.choices()]
        if not self.submission_key.data:
            self.submission_key.data = new_submission_key()

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
        return require_visa_details(self) and valid

    def start(self, *, locale: str, code: str, invitation=None) -> None:
        """Fill a form not yet submitted: its language, the invitation code and what the invitation knows."""
        self.locale.data = locale
        self.code.data = code
        if invitation is not None and invitation.email:
            self.email.data = invitation.email
            self.full_name.data = self.full_name.data or invitation.full_name

    def delegate_data(self) -> dict:
        """The validated values in data-dictionary form, ready for the registration service."""
        return delegate_data_from({field.name: field.data for field in self})


def require_visa_details(form) -> bool:
    """When a visa letter is needed, each passport detail is required (after the field's own checks).

    `form` is the bound form or registration.checker's stand-in for it: both have .data and .errors per field.
    """
    valid = True
    if form.needs_visa_letter.data:
        for name in VISA_FIELDS:
            field = getattr(form, name)
            if not field.data and not field.errors:
                field.errors = [*field.errors, _("Needed for the visa letter.")]
                valid = False
    return valid


def delegate_data_from(values: Mapping[str, Any]) -> dict:
    """{field name: validated data} in data-dictionary form, ready for the registration service."""
    data = {name: values[name] for name in DELEGATE_FIELDS if name in values}
    data["gender"] = data["gender"] or None
    data["dietary"] = Dietary(data["dietary"]) if data["dietary"] else None
    for name in ("date_of_birth", "passport_expiry"):
        data[name] = data[name].isoformat() if data[name] else None
    # The page's language, as the hidden field says; anything not supported reads as English (never a 500).
    data["locale"] = i18n.supported(data["locale"]) or i18n.DEFAULT_LOCALE
    data["answers"] = answers_from_values(values)
    return data


def _signature(questions) -> tuple:
    """Everything about an event's questions that shapes its form (an edited question is a new form class)."""
    return tuple((q.key, q.label, q.kind, tuple(q.options or ()), q.required) for q in questions)


@lru_cache(maxsize=256)
def _form_class(signature: tuple) -> type[RegistrationForm]:
    # Built once per set of questions (events asking the same share it): a new class costs a field sort.
    questions = [SimpleNamespace(key=key, label=label, kind=kind, options=list(options), required=required)
                 for key, label, kind, options, required in signature]
    return add_question_fields(RegistrationForm, questions)


def form_class_for(questions) -> type[RegistrationForm]:
    """The registration form class with these questions' fields (one class per set of questions)."""
    return _form_class(_signature(questions))


def registration_form_for(event, *args, **kwargs) -> RegistrationForm:
    """The registration form of this event: the data dictionary plus the event's own questions.

    The consent box's hint links to the event's privacy notice in a new tab, so nothing typed is lost.
    """
    form = form_class_for(event.questions)(*args, **kwargs)
    form.data_consent.description = Markup('<a href="{}" target="_blank" rel="noopener">{}</a>').format(
        url_for("events.privacy", slug=event.slug), _("Read the privacy notice (opens in a new tab)"))
    return form


class _OrganiserEdits:
    """How the organisers' form differs: no consent box, and passport details kept unless retyped.

    The page never prints the passport details the delegate gave (they are masked until revealed),
    so their fields start empty and an empty one keeps what is stored.
    """

    kept_visa_fields: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        for name in self.kept_visa_fields:
            if not self[name].data:
                self[name].errors = []
        return not self.errors

    def delegate_data(self) -> dict:
        data = super().delegate_data()
        for name in self.kept_visa_fields:
            if not data.get(name):
                del data[name]
        return data


def organiser_form_for(event, registration, *args, **kwargs) -> RegistrationForm:
    """The registration form as organisers edit a delegate with it: same fields, checks and questions.

    Consent to the use of the data stays the delegate's own statement, so it is not on this form.
    """
    form_class = type("OrganiserRegistrationForm", (_OrganiserEdits, add_question_fields(RegistrationForm,
                                                                                          event.questions)), {})
    data = form_data_from(registration)
    form_class.kept_visa_fields = tuple(name for name in VISA_FIELDS if data.pop(name, None))
    form = form_class(*args, data=data, **kwargs)
    del form.data_consent
    for name in form.kept_visa_fields:
        form[name].description = _("Given by the delegate. Leave empty to keep it; type to replace it.")
    return form


def form_data_from(registration) -> dict:
    """The registration's values in the shape the form expects (for editing)."""
    data = {name: getattr(registration, name) for name in DELEGATE_FIELDS}
    for name in ("stakeholder_group", "gender", "dietary"):
        data[name] = data[name].value if data[name] else ""
    for name in ("date_of_birth", "passport_expiry"):
        data[name] = date.fromisoformat(data[name]) if data[name] else None
    for key, value in (registration.answers or {}).items():
        data[PREFIX + key] = value
    return data


class LostLinkForm(CleanForm):
    """Ask for the private link to be emailed again."""

    email = _email_field()
