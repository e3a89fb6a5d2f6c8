"""Sign-in, password, two-step sign-in and user-management forms."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from events_app.auth.passwords import MIN_PASSWORD_LENGTH, password_problem
from events_app.choices import EventRole, UserRole
from events_app.forms import CleanForm


class LoginForm(CleanForm):
    """Email and password of a workspace user."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class SetPasswordForm(CleanForm):
    """A new password, typed twice (the rules are create_user's); the view sets `user` for the guessability check."""

    user = None

    def validate_password(self, field) -> None:
        inputs = (self.user.email, self.user.name) if self.user is not None else ()
        problem = password_problem(field.data or "", user_inputs=inputs)
        if problem:
            raise ValidationError(problem)

    password = PasswordField(
        _l("New password"),
        description=_l("At least %(n)s characters. A few unrelated words are easy to remember and hard to guess.",
                       n=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(max=200)],  # length and guessability: validate_password
    )
    confirm = PasswordField(_l("The same password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ChangePasswordForm(SetPasswordForm):
    """One's own password: the current one, then the new one twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class CodeForm(CleanForm):
    """A 6-digit code from the authenticator app, or one of the recovery codes."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("The 6-digit code your authenticator app shows now, or a recovery code."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none",
                                  "spellcheck": "false"})


class ConfirmPasswordForm(CleanForm):
    """The user's password, asked again before turning two-step sign-in off."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])


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
