"""Forms of the delegate record, the audit log's filter and copying an event."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from events_app.choices import ParticipantRole
from events_app.events.forms import EventForm
from events_app.forms import CleanForm


class RoleForm(CleanForm):
    """The delegate's participant role (it sets the badge's colour band and label)."""

    participant_role = SelectField(_l("Participant role"), choices=ParticipantRole.choices())


class AuditFilterForm(CleanForm):
    """Filter the audit log by action, page by page (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False, validators=[Optional()])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])


class CopyEventForm(CleanForm):
    """What a copied event needs of its own: short name, title and days (the rest comes from the original)."""

    slug = EventForm.slug
    title = EventForm.title
    starts_on = EventForm.starts_on
    ends_on = EventForm.ends_on
