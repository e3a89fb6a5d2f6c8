"""Forms of the organisers' workspace."""
from datetime import date
from urllib.parse import parse_qsl

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError

from events_app.choices import Dietary, Gender, ParticipantRole, StakeholderGroup, Status
from events_app.countries import country_choices
from events_app.forms import CleanForm, MultiCheckboxField
from events_app.manage.services import ANY_DAY, NOT_CHECKED_IN, ListCriteria, matching
from events_app.registration.models import Registration

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


YES_NO = [("", _l("Any")), ("yes", _l("Yes")), ("no", _l("No"))]
SORT_CHOICES = [("name", _l("Name (Latin), A–Z")), ("-name", _l("Name (Latin), Z–A")),
                ("organisation", _l("Organisation, A–Z")), ("-organisation", _l("Organisation, Z–A")),
                ("country", _l("Country, A–Z")), ("-country", _l("Country, Z–A")),
                ("registered", _l("Registered, oldest first")), ("-registered", _l("Registered, newest first"))]


def _any(choice) -> list[tuple[str, str]]:
    return [("", _l("All"))] + choice.choices()


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class DelegateFilterForm(CleanForm):
    """Search, filter and sort the delegate list (a GET form: no CSRF; kept in the URL).

    Build it with `for_event`, which offers the event's days for the check-in filter.
    """

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=_any(Status), validators=[Optional()])
    stakeholder_group = SelectField(_l("Stakeholder group"), choices=_any(StakeholderGroup), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    participant_role = SelectField(_l("Role"), choices=_any(ParticipantRole), validators=[Optional()])
    gender = SelectField(_l("Gender"), choices=_any(Gender), validators=[Optional()])
    dietary = SelectField(_l("Dietary"), choices=_any(Dietary), validators=[Optional()])
    needs_visa_letter = SelectField(_l("Needs a visa letter"), choices=YES_NO, validators=[Optional()])
    accessibility_needs = SelectField(_l("Accessibility needs"), choices=YES_NO, validators=[Optional()])
    badge_printed = SelectField(_l("Badge printed"), choices=YES_NO, validators=[Optional()])
    checked_in = SelectField(_l("Checked in"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), choices=SORT_CHOICES, default="name", validators=[Optional()])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])

    # Filters other than the search, shown folded away until one is used.
    MORE = ("stakeholder_group", "country", "participant_role", "gender", "dietary", "needs_visa_letter",
            "accessibility_needs", "badge_printed", "checked_in")
    # Filters that would tell who has which needs: organisers' only, like the record they come from.
    ORGANISER_FILTERS = ("gender", "dietary", "needs_visa_letter", "accessibility_needs")
    full = True  # the organisers' form: every filter, and the search reads email addresses too

    @classmethod
    def for_event(cls, event, formdata, *, full: bool = True) -> "DelegateFilterForm":
        """The form over `formdata` (request.args, or a kept query string), with the event's days to choose.

        full=False (staff): without the organisers' filters, and a search by name and organisation only.
        """
        form = cls(formdata)
        if not full:
            for name in cls.ORGANISER_FILTERS:
                del form[name]
            form.MORE = tuple(name for name in cls.MORE if name not in cls.ORGANISER_FILTERS)
            form.full = False
        form.country.choices = [("", _l("All"))] + list(country_choices())
        form.checked_in.choices = [("", _l("Any")), (ANY_DAY, _l("On some day")),
                                   (NOT_CHECKED_IN, _l("Not checked in"))] + [
            (day.isoformat(), _l("On %(day)s", day=format_date(day, "EEE d MMM"))) for day in event.days]
        return form

    @property
    def narrowed(self) -> bool:
        """True when any filter beyond the search and status is set (the list shows them unfolded)."""
        return any(getattr(self, name).data for name in self.MORE)

    def _chosen(self, name: str) -> str:
        field = self._fields.get(name)  # staff's form has no organisers' filters
        return field.data if field is not None else ""

    def criteria(self) -> ListCriteria:
        """The validated choices as the list service takes them."""
        day = self.checked_in.data or None
        if day not in (None, ANY_DAY, NOT_CHECKED_IN):
            day = date.fromisoformat(day)
        return ListCriteria(
            q=self.q.data or "",
            status=Status(self.status.data) if self.status.data else None,
            stakeholder_group=StakeholderGroup(self.stakeholder_group.data) if self.stakeholder_group.data else None,
            country=self.country.data or "",
            participant_role=ParticipantRole(self.participant_role.data) if self.participant_role.data else None,
            gender=Gender(self._chosen("gender")) if self._chosen("gender") else None,
            dietary=Dietary(self._chosen("dietary")) if self._chosen("dietary") else None,
            needs_visa_letter=_yes_no(self._chosen("needs_visa_letter")),
            accessibility_needs=_yes_no(self._chosen("accessibility_needs")),
            badge_printed=_yes_no(self.badge_printed.data),
            checked_in=day,
            sort=self.sort.data or "name",
            search_email=self.full,
        )

    def query_args(self) -> dict[str, str]:
        """The set filters as URL arguments (no page): to carry the list's filter to another page."""
        return {name: str(field.data) for name, field in self._fields.items() if field.data and name != "page"}


class BulkActionForm(ReturningForm):
    """The same status change for the ticked delegates, or for everyone matching the list's filter.

    With scope "matching" the first post asks for confirmation (showing the count); the confirmed post
    carries the count the organiser saw, and is refused if the list has changed since.
    """

    ids = SelectMultipleField(coerce=int, validate_choice=False)
    action = SelectField(_l("Action"), choices=[("approve", _l("Approve")), ("waitlist", _l("Waitlist")),
                                                ("decline", _l("Decline")), ("cancel", _l("Cancel")),
                                                ("role", _l("Set participant role"))],
                         validators=[AnyOf([*ACTIONS, "role"])])
    # With action "role": the role every selected delegate gets (badge colour and label follow it).
    participant_role = SelectField(_l("Participant role"), choices=ParticipantRole.choices(),
                                   default=ParticipantRole.PARTICIPANT.value)
    reason = TextAreaField(_l("Reason (sent to the delegates)"), validators=[Optional(), Length(max=2000)])
    scope = SelectField(choices=[("ticked", "ticked"), ("matching", "matching")], default="ticked")
    # The list's filter as a query string, for scope "matching" (parsed again by DelegateFilterForm).
    filter = HiddenField(validators=[Optional(), Length(max=2000)])
    expected = IntegerField(validators=[Optional(), NumberRange(min=0)])
    confirmed = BooleanField()

    def validate_ids(self, field):
        if self.scope.data == "ticked" and not field.data:
            raise ValidationError(_l("Tick at least one delegate."))


class InviteForm(CleanForm):
    """Invitees, one a line: an email, 'email, name' or 'Name <email>'."""

    invitees = TextAreaField(_l("Invitees, one per line"),
                             description=_l("An email address, optionally followed by a comma and the name."),
                             validators=[DataRequired(_l("Enter at least one email address.")), Length(max=200_000)])


class OpenCodeForm(CleanForm):
    """A single-use code that is not bound to an email address."""

    note = StringField(_l("Note (who it is for)"), validators=[Optional(), Length(max=200)])


class ExportForm(ReturningForm):
    """Export the list's filter or the ticked delegates: format and columns (all ticked by default)."""

    fmt = RadioField(_l("Format"), default="csv", validators=[AnyOf(["csv", "xlsx"])],
                     choices=[("csv", _l("CSV (UTF-8, opens in Excel)")), ("xlsx", _l("Excel workbook (XLSX)"))])
    columns = MultiCheckboxField(_l("Columns"), validators=[DataRequired(_l("Tick at least one column."))])
    ids = SelectMultipleField(coerce=int, validate_choice=False)
    filter = HiddenField(validators=[Optional(), Length(max=2000)])
    download = SubmitField(_l("Export"))

    @classmethod
    def for_columns(cls, columns: list[str], **kwargs) -> "ExportForm":
        """The form offering these columns, in this order, every one ticked unless the post says otherwise."""
        form = cls(**kwargs)
        form.columns.choices = [(column, column) for column in columns]
        if not form.is_submitted() or not form.download.data:
            form.columns.data = list(columns)
        return form


class ImportUploadForm(CleanForm):
    """A CSV or XLSX table of delegates to preview."""

    table = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx", "txt"], _l("A .csv or .xlsx file."))])


class ImportConfirmForm(CleanForm):
    """Import the previewed file (read again from the server, never from the post)."""

    notify = BooleanField(_l("Email each new delegate the confirmation"))


def chosen_ids(event, ids: list[int], filter_query: str):
    """A SELECT of the ids of the ticked delegates of this event, else of those the kept list filter
    (a query string) matches; None when that filter is not valid."""
    if ids:
        return select(Registration.id).where(Registration.event_id == event.id, Registration.id.in_(ids))
    filters = DelegateFilterForm.for_event(event, MultiDict(parse_qsl(filter_query or "")))
    if not filters.validate():
        return None
    return matching(event.id, filters.criteria()).with_only_columns(Registration.id)
