"""Fixtures for recommendations: an event with themes and addressees, its organiser and two rapporteurs."""
from dataclasses import dataclass

import pytest
from flask import g

from events_app.auth.services import create_user
from events_app.choices import EventRole, UserRole
from events_app.events import access
from events_app.recommendations import services
from tests.conftest import PASSWORD, submit

THEMES = ["Labour migration governance", "Health", "Social protection"]
ADDRESSEES = ["Governments of countries of origin", "Governments of countries of destination", "ASEAN",
              "ILO and IOM", "Employers", "Civil society"]


@dataclass
class Team:
    """An event ready for drafting, and the people who work on it."""

    event: object
    organiser: object
    rapporteur: object
    second_rapporteur: object

    def theme(self, name: str) -> int:
        return next(t.id for t in services.themes(self.event) if t.name == name)

    def addressee(self, name: str) -> int:
        return next(a.id for a in services.addressees(self.event) if a.name == name)


def sign_in(client, user) -> None:
    """Sign in through the login form as this user, after signing out whoever was signed in.

    The tests' requests share the `db` fixture's app context, where Flask-Login and Flask-WTF keep
    what they loaded for the old session: that is forgotten too, as a new browser session would.
    """
    client.delete_cookie("session")
    for cached in ("_login_user", "csrf_token"):  # Flask-Login's user and Flask-WTF's token of the old session
        g.pop(cached, None)
    response = submit(client, "/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    g.pop("_login_user", None)


@pytest.fixture()
def team(db, make_event):
    event = make_event(title="Closing Consultation")
    people = {name: create_user(f"{name}@test.example", password=PASSWORD, role=role) for name, role in
              [("ana", UserRole.ORGANISER), ("ratana", UserRole.RAPPORTEUR), ("linh", UserRole.RAPPORTEUR)]}
    access.grant(people["ana"], event, EventRole.ORGANISER)
    access.grant(people["ratana"], event, EventRole.RAPPORTEUR)
    access.grant(people["linh"], event, EventRole.RAPPORTEUR)
    services.save_settings(event, theme_names=THEMES, addressee_names=ADDRESSEES, preamble="We, the participants.",
                           endorsement_open=False)
    db.session.commit()
    return Team(event, people["ana"], people["ratana"], people["linh"])


@pytest.fixture()
def draft(team, db):
    """Factory: a draft by the first rapporteur (theme and addressee by name)."""

    def factory(text: str, *, theme: str = "Health", to: tuple[str, ...] = ("ASEAN",), status: str | None = None,
                **fields):
        rec = services.draft(team.event, by=team.rapporteur, theme_id=team.theme(theme),
                             addressee_ids=[team.addressee(name) for name in to], text=text, **fields)
        if status:
            services.set_status(rec, status, by=team.organiser)
        db.session.commit()
        return rec

    return factory
