"""Participants endorse (or comment on) adopted recommendations through their private link, while it is open.

One endorsement per delegate per recommendation, backed by a unique constraint; organisers see
the counts by stakeholder group and by country.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from events_app.choices import StakeholderGroup, Status
from events_app.countries import country_name
from events_app.extensions import db
from events_app.models import utcnow
from events_app.recommendations.models import Endorsement, Recommendation, RecommendationStatus
from events_app.recommendations.services import RecommendationError, numbered, settings_for


def endorsement_open(event) -> bool:
    """Whether participants may endorse the event's adopted recommendations now."""
    return settings_for(event).endorsement_open


def may_endorse(registration) -> bool:
    """Approved delegates may endorse while the organisers keep endorsement open."""
    return registration.status == Status.APPROVED and endorsement_open(registration.event)


def responses_of(registration) -> dict[int, Endorsement]:
    """The delegate's endorsements and comments, by recommendation id."""
    rows = db.session.scalars(select(Endorsement).where(Endorsement.registration_id == registration.id))
    return {row.recommendation_id: row for row in rows}


def endorse(registration, recommendation: Recommendation, *, endorses: bool, comment: str = "",
            list_organisation: bool = False) -> Endorsement:
    """Endorse an adopted recommendation or comment on it; a delegate endorses each one once."""
    if not may_endorse(registration):
        raise RecommendationError(_("Endorsement is closed: the organisers no longer take endorsements."))
    if recommendation.event_id != registration.event_id or recommendation.status != RecommendationStatus.ADOPTED:
        raise RecommendationError(_("Only the adopted recommendations of your event can be endorsed."))
    comment = (comment or "").strip()
    if not endorses and not comment:
        raise RecommendationError(_("Endorse the recommendation or write a comment."), field="comment")
    found = db.session.scalar(select(Endorsement).where(Endorsement.recommendation_id == recommendation.id,
                                                        Endorsement.registration_id == registration.id))
    if found is not None and found.endorses and endorses:
        raise RecommendationError(_("You have already endorsed this recommendation."))
    if found is None:
        found = Endorsement(recommendation_id=recommendation.id, registration_id=registration.id, comment="")
        db.session.add(found)
    found.endorses = found.endorses or endorses
    found.comment = comment or found.comment
    found.list_organisation = found.list_organisation or list_organisation
    found.at = utcnow()
    db.session.flush()
    return found


@dataclass
class Tally:
    """One adopted recommendation's endorsements: the total, by stakeholder group and by country, and comments."""

    number: int
    recommendation: Recommendation
    total: int = 0
    by_group: Counter = field(default_factory=Counter)
    by_country: Counter = field(default_factory=Counter)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (who, comment)


def tallies(event) -> list[Tally]:
    """Endorsement counts by stakeholder group and country for each adopted recommendation, in document order."""
    found = {rec.id: Tally(number, rec) for number, rec in numbered(event)}
    rows = db.session.scalars(select(Endorsement).options(joinedload(Endorsement.registration))
                              .where(Endorsement.recommendation_id.in_(found)))
    for row in rows:
        tally, who = found[row.recommendation_id], row.registration
        if row.endorses:
            tally.total += 1
            tally.by_group[StakeholderGroup(who.stakeholder_group).label] += 1
            tally.by_country[country_name(who.country)] += 1
        if row.comment:
            tally.comments.append((f"{who.full_name} ({who.organisation})", row.comment))
    return list(found.values())


def endorsing_organisations(event) -> list[tuple[str, str]]:
    """(country, organisation) of delegates who endorsed an adopted recommendation and agreed to be named."""
    adopted = [rec.id for _, rec in numbered(event)]
    rows = db.session.scalars(select(Endorsement).options(joinedload(Endorsement.registration))
                              .where(Endorsement.recommendation_id.in_(adopted), Endorsement.endorses,
                                     Endorsement.list_organisation))
    return sorted({(country_name(row.registration.country), row.registration.organisation) for row in rows})
