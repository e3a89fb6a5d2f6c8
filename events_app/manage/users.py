"""Admins' use cases for workspace users that send email: invite someone, send a new set-password link."""
from events_app.auth import tokens
from events_app.auth.models import User
from events_app.auth.services import invite_user
from events_app.choices import UserRole
from events_app.mail.links import base_url
from events_app.mail.messages import N_, render
from events_app.mail.outbox import queue

INVITATION_KIND = "user_invitation"


def invite(email: str, *, role: UserRole | str, name: str = ""):
    """Create the user without a password and email them a single-use link to choose one (flushes)."""
    user = invite_user(email, role=role, name=name)
    send_password_link(user)
    return user


def send_password_link(user: User):
    """Email the user a new single-use link (7 days) to choose their password, through the outbox."""
    link = f"{base_url()}/auth/set-password/{tokens.issue(user)}"
    subject, text, html = render(INVITATION_KIND, locale="en", subject=N_("Your account in the events workspace"),
                                 link=link, name=user.name, email=user.email)
    return queue(INVITATION_KIND, recipient=user.email, subject=subject, body_text=text, body_html=html, locale="en")
