"""Forms of an event's settings: the event itself, its quotas and its extra questions."""
import base64

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from events_app.choices import DELEGATE_FIELDS, FIELD_LABELS, LABELS, ParticipantRole, StakeholderGroup
from events_app.countries import country_choices, country_name
from events_app.events import services, settings
from events_app.events.colours import default_colour
from events_app.events.timezones import DEFAULT_TIMEZONE, canonical_timezone, local_time_exists, to_local, to_utc
from events_app.forms import CleanForm, MultiCheckboxField

# Always true (data_consent) or only the site's language (locale): editing them needs no review.
NOT_REAPPROVABLE = {"data_consent", "locale"}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def reapproval_choices() -> list[tuple[str, str]]:
    """(field, label) for every data-dictionary field whose change may need approval again."""
    return [(name, FIELD_LABELS[name]) for name in DELEGATE_FIELDS if name not in NOT_REAPPROVABLE]


def _keep_rule(check, *args, **kwargs):
    """Run one of the events service's rules as a form validator: its refusal shows beside the field."""
    try:
        return check(*args, **kwargs)
    except services.EventError as error:
        raise ValidationError(str(error)) from None


def _checked_upload(field) -> bytes | None:
    """The bytes of an uploaded PNG or JPEG (checked as the documents will read it), or None without one."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read(services.LOGO_MAX_BYTES + 1)  # never more than the limit into memory
    _keep_rule(services.check_image, data, field=field.name)
    return data


class SettingsForm(CleanForm):
    """Base of the settings forms: text is stripped of stray spaces and NUL characters."""


def _local_time(label, description=None):
    return DateTimeLocalField(label, description=description, format=DATETIME_FORMATS, validators=[Optional()],
                              invalid_value_message=_l("Enter a date and time, e.g. 2027-03-01 09:00."))


RANGE_MESSAGE = _l("Enter a whole number from %(min)s to %(max)s.")


def _places(label, validators, description=None):
    return IntegerField(label, description=description,
                        validators=[*validators, NumberRange(0, services.MAX_PLACES, RANGE_MESSAGE)],
                        invalid_value_message=_l("Enter a whole number."))


def _fixed_name(label, description, missing_message) -> StringField:
    """A name typed once and never changed (an event's slug, a question's key): lower-case, so the
    browser must not capitalise, spell-check or autocomplete it."""
    return StringField(label, description=description,
                       validators=[DataRequired(missing_message), Length(max=64)],
                       render_kw={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"})


class EventForm(SettingsForm):
    """An event's settings; `slug` only when creating. Times are local to the event's time zone."""

    slug = _fixed_name(_l("Short name (in links)"),
                       _l("3–64 lower-case letters, digits and hyphens, e.g. mekong-symposium-2027. "
                          "It cannot be changed later."),
                       _l("Please give the event a short name."))
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please give the event a title.")),
                                                 Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)], render_kw={"rows": 5})
    contact_email = EmailField(_l("Contact email"),
                               description=_l("Shown to delegates on the event's pages and in every email."),
                               validators=[Optional(), Length(max=254), Email(_l("Enter a valid email address."))])
    privacy_notice = TextAreaField(
        _l("Privacy notice"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 8},
        description=_l("Linked from the consent box of the registration form. Leave empty to show the default "
                       "notice. Each change gives the notice a new version, which new registrations record."))
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[InputRequired(_l("Please choose the country."))])
    timezone = StringField(_l("Time zone"), default=DEFAULT_TIMEZONE,
                           description=_l("An IANA name such as Asia/Bangkok. Times below are in this zone."),
                           validators=[DataRequired(_l("Please give the time zone.")), Length(max=64)],
                           render_kw={"list": "timezones", "autocapitalize": "none", "spellcheck": "false",
                                      "autocomplete": "off"})
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Please give the first day."))],
                          invalid_value_message=_l("Enter a date, e.g. 2027-03-01."))
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Please give the last day."))],
                        invalid_value_message=_l("Enter a date, e.g. 2027-03-03."))
    capacity = IntegerField(_l("Capacity"), description=_l("Places for approved delegates. Empty means no limit."),
                            validators=[Optional()], invalid_value_message=_l("Enter a whole number."))
    registration_opens_at = _local_time(_l("Registration opens"), _l("Empty: open now."))
    registration_closes_at = _local_time(_l("Registration closes"), _l("Empty: open until you close it."))
    approval_required = BooleanField(_l("Organisers approve each registration"))
    waitlist_when_full = BooleanField(_l("With approval: approving beyond capacity puts people on the waiting "
                                         "list (instead of refusing)"), default=True)
    invitation_only = BooleanField(_l("By invitation only"))
    edit_deadline = _local_time(_l("Delegates may edit their registration until"),
                                _l("Empty: until the last day of the event."))
    reapproval_fields = MultiCheckboxField(
        _l("Changes that need approval again"), choices=reapproval_choices,
        description=_l("When a delegate changes one of these on an approved registration, it goes back to "
                       "pending."))
    attendance_threshold_days = IntegerField(
        _l("Days of attendance for a certificate"), default=1,
        validators=[InputRequired(_l("Please give a number of days.")),
                    NumberRange(1, services.MAX_EVENT_DAYS, RANGE_MESSAGE)],
        invalid_value_message=_l("Enter a whole number."))
    badge_colour_by = SelectField(
        _l("Badge colour band shows"),
        choices=[("participant_role", _l("Participant role")), ("stakeholder_group", _l("Stakeholder group"))],
        validators=[InputRequired(), AnyOf(services.BADGE_COLOUR_BY)])
    logo = FileField(_l("Logo"), description=_l("A PNG or JPEG image of up to 1 MB, printed beside the title on "
                                                "badges and at the top of tickets."),
                     render_kw={"accept": "image/png,image/jpeg"})
    remove_logo = BooleanField(_l("Remove the logo"))
    letterhead_text = TextAreaField(_l("Letterhead text"), description=_l("Printed at the top of visa letters."),
                                    validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    signatory_name = StringField(_l("Signatory's name"), validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Signatory's title"), validators=[Optional(), Length(max=200)])
    signatory_organisation = StringField(_l("Signatory's organisation"), validators=[Optional(), Length(max=200)])
    signature = FileField(_l("Signature"), description=_l("A PNG or JPEG image of up to 1 MB of the signatory's "
                                                          "signature, printed above their name on visa letters. "
                                                          "A PNG with a transparent background looks best."),
                          render_kw={"accept": "image/png,image/jpeg"})
    remove_signature = BooleanField(_l("Remove the signature"))
    signature_preview = ""  # the current signature as a data: URL, for the settings page

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.slug
        self.country.choices = [("", _("Choose…")), *country_choices("en")]

    @classmethod
    def for_event(cls, event):
        """The edit form filled from an event, its UTC times shown in the event's time zone."""
        data = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        for name in services.EVENT_TIMES:
            data[name] = to_local(data[name], event.timezone)
        for key in services.COLOUR_KEYS:
            data[f"colour_{key}"] = (event.badge_colours or {}).get(key) or default_colour(key)
        form = cls(data=data)
        if event.signature_content_type and event.signature_image:
            encoded = base64.b64encode(event.signature_image).decode("ascii")
            form.signature_preview = f"data:{event.signature_content_type};base64,{encoded}"
        return form

    def colour_fields(self, kind: str) -> list:
        """The colour inputs of the roles ('participant_role') or of the stakeholder groups."""
        members = ParticipantRole if kind == "participant_role" else StakeholderGroup
        return [self[f"colour_{m.value}"] for m in members]

    def validate_logo(self, field):
        self.logo_bytes = _checked_upload(field)

    def validate_signature(self, field):
        self.signature_bytes = _checked_upload(field)

    def validate_slug(self, field):
        _keep_rule(services.check_slug, field.data)
        if services.find_event(field.data) is not None:
            raise ValidationError(_("An event with this short name exists already."))

    def validate_timezone(self, field):
        field.data = _keep_rule(services.check_timezone, field.data)

    def validate_starts_on(self, field):
        _keep_rule(services.check_year, field.data, field="starts_on")

    def validate_ends_on(self, field):
        _keep_rule(services.check_year, field.data, field="ends_on")
        if self.starts_on.data and not self.starts_on.errors:
            _keep_rule(services.check_days, self.starts_on.data, field.data)

    def validate_capacity(self, field):
        _keep_rule(services.check_capacity, field.data)

    def validate_attendance_threshold_days(self, field):
        starts, ends = self.starts_on.data, self.ends_on.data
        if starts and ends and ends >= starts and field.data:
            _keep_rule(services.check_attendance_threshold, field.data, starts, ends)

    def _check_local_time(self, field):
        _keep_rule(services.check_year, field.data, field=field.name)
        zone = canonical_timezone(self.timezone.data)
        if field.data and zone and not local_time_exists(field.data, zone):
            raise ValidationError(_("This time does not exist in %(zone)s (the clocks change).", zone=zone))

    validate_registration_opens_at = _check_local_time
    validate_edit_deadline = _check_local_time

    def validate_registration_closes_at(self, field):
        self._check_local_time(field)
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_("Registration must close after it opens."))

    def event_values(self) -> dict:
        """The validated settings as plain values for the services; local times become UTC."""
        values = {name: self[name].data for name in services.EVENT_FIELDS if name in self}
        for name in services.EVENT_TIMES:
            values[name] = to_utc(values[name], values["timezone"])
        values["reapproval_fields"] = list(values["reapproval_fields"] or [])
        # Only colours that differ from the defaults are stored, so new defaults reach other keys.
        values["badge_colours"] = {key: colour for key in services.COLOUR_KEYS
                                   if (colour := (self[f"colour_{key}"].data or "").lower())
                                   and colour != default_colour(key)}
        for name in ("logo", "signature"):
            if getattr(self, f"{name}_bytes", None):
                values[name] = getattr(self, f"{name}_bytes")
            elif self[f"remove_{name}"].data:
                values[name] = None
        return values


COLOUR_MESSAGE = _l("Enter a colour as #rrggbb, e.g. #1f5fa8.")
for _member in (*ParticipantRole, *StakeholderGroup):
    # One colour input per role and per stakeholder group: colour_speaker, colour_ngo, ...; a new event's
    # editor starts from the default palette (an empty colour input would show black).
    setattr(EventForm, f"colour_{_member.value}", StringField(
        LABELS[_member], default=default_colour(_member.value),
        validators=[Optional(), Regexp(r"^#[0-9a-fA-F]{6}\Z", message=COLOUR_MESSAGE)],
        render_kw={"type": "color"}))
del _member


def quota_choices() -> dict[str, list[tuple[str, str]]]:
    """Every quota target grouped for a select: 'stakeholder_group:ngo', 'country:KH', ..."""
    return {
        _("Stakeholder groups"): [(f"stakeholder_group:{value}", label) for value, label in StakeholderGroup.choices()],
        _("Countries"): [(f"country:{code}", name) for code, name in country_choices("en")],
    }


def quota_target_label(kind: str, value: str) -> str:
    """The readable name of a quota's stakeholder group or country."""
    if kind == "stakeholder_group":
        try:
            return StakeholderGroup(value).label
        except ValueError:
            return value
    return country_name(value)


class QuotaForm(SettingsForm):
    """Add a quota: places for one stakeholder group or one country."""

    target = SelectField(_l("Stakeholder group or country"),
                         validators=[InputRequired(_l("Please choose a stakeholder group or a country."))])
    places = _places(_l("Places"), [InputRequired(_l("Please give a number of places."))])

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.target.choices = quota_choices()

    def validate_target(self, field):
        kind, value = self.kind_and_value()
        if self.event is not None and any(q.kind == kind and q.value == value for q in self.event.quotas):
            raise ValidationError(_("This event has a quota for %(name)s already.",
                                    name=quota_target_label(kind, value)))

    def kind_and_value(self) -> tuple[str, str]:
        """('stakeholder_group', 'ngo') from the chosen target."""
        kind, _sep, value = (self.target.data or "").partition(":")
        return kind, value


class QuotaPlacesForm(SettingsForm):
    """Change the places of one quota (one such form per row, told apart by prefix)."""

    places = _places(_l("Places"), [InputRequired(_l("Please give a number of places."))])


class ConfirmForm(FlaskForm):
    """A button that changes something: CSRF protection and nothing else."""


class MoveForm(FlaskForm):
    """Move a question up or down the form."""

    direction = StringField(validators=[AnyOf(["up", "down"])])


class QuestionForm(SettingsForm):
    """Add or edit an extra question of the registration form; `key` only when adding."""

    key = _fixed_name(_l("Key"),
                      _l("Names the answer in exports: lower-case letters, digits and underscores, "
                         "e.g. working_group. It cannot be changed later."),
                      _l("Please give the question a key."))
    label = StringField(_l("Question"), validators=[DataRequired(_l("Please write the question.")),
                                                    Length(max=300)])
    kind = SelectField(_l("Kind of answer"),
                       choices=[("text", _l("Text")), ("choice", _l("One choice from a list")),
                                ("yes_no", _l("Yes or no"))],
                       validators=[InputRequired(), AnyOf(settings.QUESTION_KINDS)])
    options = TextAreaField(_l("Options"), description=_l("For a choice: one option per line."),
                            validators=[Optional(), Length(max=5000)], render_kw={"rows": 5})
    required = BooleanField(_l("An answer is required"))
    position = IntegerField(_l("Position"), description=_l("1 is first. Empty: at the end."),
                            validators=[Optional(), NumberRange(1, 1000, RANGE_MESSAGE)],
                            invalid_value_message=_l("Enter a whole number."))

    def __init__(self, *args, event=None, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if not creating:
            del self.key

    @classmethod
    def for_question(cls, question):
        """The edit form filled from a question."""
        return cls(data={"label": question.label, "kind": question.kind, "options": "\n".join(question.options),
                         "required": question.required, "position": question.position}, event=question.event)

    def validate_key(self, field):
        if not settings.QUESTION_KEY_RE.match(field.data):
            raise ValidationError(_("Use lower-case letters, digits and underscores, starting with a letter."))
        if field.data in settings.RESERVED_QUESTION_KEYS:
            raise ValidationError(_("%(key)s is a field of the registration form already; choose another key.",
                                    key=field.data))
        if self.event is not None and any(q.key == field.data for q in self.event.questions):
            raise ValidationError(_("This event has a question with this key already."))

    def validate_options(self, field):
        options = self.option_list()
        if self.kind.data != "choice":
            return
        if len(options) < 2:
            raise ValidationError(_("A choice question needs at least two options, one per line."))
        if len(options) > 50 or any(len(option) > 200 for option in options):
            raise ValidationError(_("At most 50 options of up to 200 characters each."))

    def option_list(self) -> list[str]:
        """The options, one per line, cleaned (empty unless the kind is choice)."""
        return settings.clean_options(self.kind.data, (self.options.data or "").splitlines())

    def question_values(self) -> dict:
        """The validated question as plain values for the services."""
        return {"label": self.label.data, "kind": self.kind.data, "options": self.option_list(),
                "required": bool(self.required.data), "position": self.position.data}

