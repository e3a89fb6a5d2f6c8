"""Sign-in, set-password and user-management forms."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from events_app.auth.services import MIN_PASSWORD_LENGTH
from events_app.choices import EventRole, UserRole
from events_app.forms import CleanForm


class LoginForm(CleanForm):
    """Email and password of a workspace user."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class SetPasswordForm(CleanForm):
    """A new password, typed twice (the rules are create_user's)."""

    password = PasswordField(
        _l("New password"),
        description=_l("At least %(n)s characters. A few unrelated words are easy to remember and hard to guess.",
                       n=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                           message=_l("The password must have at least %(n)s characters.",
                                                      n=MIN_PASSWORD_LENGTH))],
    )
    confirm = PasswordField(_l("The same password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class InviteUserForm(CleanForm):
    """An admin invites someone to the workspace: they get an email to choose their password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=UserRole.choices(), default=UserRole.ORGANISER.value,
                       validators=[DataRequired()],
                       description=_l("Organisers may create events. Everyone sees only the events they are "
                                      "given a role at; administrators see every event and manage users."))


class GrantForm(CleanForm):
    """Give a user a role at one event (replacing the role they had there); the view fills the events."""

    event = SelectField(_l("Event"), choices=[], validators=[DataRequired()])
    role = SelectField(_l("Role at this event"), choices=EventRole.choices(), default=EventRole.ORGANISER.value,
                       validators=[DataRequired()])
