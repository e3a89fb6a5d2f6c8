"""Forms of the organisers' mail pages: outbox filter, resend, and the bulk message."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.forms import CleanForm, MultiCheckboxField
from events_app.mail.bulk import PLACEHOLDERS, Audience, unknown_placeholders
from events_app.mail.headers import has_line_break
from events_app.mail.models import OutboxStatus

STATUS_LABELS = {OutboxStatus.QUEUED: _l("Queued"), OutboxStatus.SENDING: _l("Sending"),
                 OutboxStatus.SENT: _l("Sent"), OutboxStatus.FAILED: _l("Failed")}


class OutboxFilterForm(CleanForm):
    """Filter the outbox list (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[("", _l("All"))] + [(s, STATUS_LABELS[s]) for s in OutboxStatus],
                         validators=[Optional()])
    event = StringField(_l("Event"), validators=[Optional(), Length(max=64)])


class ResendForm(CleanForm):
    """Resend one failed message, or all failed messages (CSRF only)."""


def _single_line(form, field) -> None:
    if field.data and has_line_break(field.data):
        raise ValidationError(_("The subject must be a single line."))


def _known_placeholders(form, field) -> None:
    unknown = unknown_placeholders(field.data or "")
    if unknown:
        raise ValidationError(_("Unknown placeholders: %(names)s. You can use: %(known)s.",
                                names=", ".join(f"{{{name}}}" for name in unknown),
                                known=", ".join(f"{{{name}}}" for name in PLACEHOLDERS)))


class BulkMessageForm(CleanForm):
    """Compose a message to a filtered set of an event's delegates; preview first, then send."""

    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200), _single_line,
                                                      _known_placeholders])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=20000), _known_placeholders],
                         description=_l("Placeholders: {full_name} {badge_name} {name_latin} {honorific} "
                                        "{organisation} {event} {dates} {venue} {link} {status}"))
    statuses = MultiCheckboxField(_l("Registration status"), choices=Status.choices(),
                                  default=[Status.APPROVED.value], validators=[Optional()])
    stakeholder_groups = MultiCheckboxField(_l("Stakeholder group (none ticked: all)"),
                                            choices=StakeholderGroup.choices(), validators=[Optional()])
    countries = MultiCheckboxField(_l("Country (none ticked: all)"), choices=[], validators=[Optional()])
    participant_roles = MultiCheckboxField(_l("Role (none ticked: all)"), choices=ParticipantRole.choices(),
                                           validators=[Optional()])
    # The number of recipients the organiser saw in the preview; sending refuses if it changed.
    confirm_count = HiddenField()
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))

    def audience(self) -> Audience:
        """The delegates this form selects."""
        return Audience(
            statuses=tuple(self.statuses.data or ()),
            stakeholder_groups=tuple(self.stakeholder_groups.data or ()),
            countries=tuple(self.countries.data or ()),
            participant_roles=tuple(self.participant_roles.data or ()),
        )

    def confirmed_count(self) -> int | None:
        """The recipient count shown in the preview, or None when there was no preview."""
        try:
            return int(self.confirm_count.data)
        except (TypeError, ValueError):
            return None
