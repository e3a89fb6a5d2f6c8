"""Use cases of drafting and adopting recommendations; each change keeps a version (who, when, what).

Every function flushes and never commits: the view or command commits once. Merging and splitting
make new recommendations that keep the link to their origins; the originals stay, marked merged or
split, with their whole history.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from events_app.choices import LANGUAGE_CODES
from events_app.events.models import Event
from events_app.extensions import db
from events_app.recommendations.models import (
    OPEN_STATUSES,
    Addressee,
    Recommendation,
    RecommendationSettings,
    RecommendationStatus,
    RecommendationVersion,
    Theme,
)

Status = RecommendationStatus
# The languages a recommendation may be translated into (its text is in English).
TRANSLATION_LANGUAGES = tuple(code for code in LANGUAGE_CODES if code != "en")


class RecommendationError(ValueError):
    """A change that cannot be made; `field` names the form field the message belongs beside."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def settings_for(event) -> RecommendationSettings:
    """The event's recommendation settings (the defaults, not yet saved, when none were set)."""
    found = db.session.scalar(select(RecommendationSettings).where(RecommendationSettings.event_id == event.id))
    return found or RecommendationSettings(event_id=event.id, preamble="", endorsement_open=False)


def themes(event) -> list[Theme]:
    """The event's themes in order."""
    return list(db.session.scalars(select(Theme).where(Theme.event_id == event.id).order_by(Theme.position)))


def addressees(event) -> list[Addressee]:
    """The event's addressees in order."""
    return list(db.session.scalars(select(Addressee).where(Addressee.event_id == event.id)
                                   .order_by(Addressee.position)))


def _names(lines: Iterable[str]) -> list[str]:
    """Non-empty names, each once, in the order given."""
    seen: list[str] = []
    for line in lines:
        name = " ".join(line.split())
        if name and name not in seen:
            seen.append(name)
    return seen


def _set_names(model, event, names: Sequence[str], field: str, in_use) -> None:
    existing = {row.name: row for row in db.session.scalars(select(model).where(model.event_id == event.id))}
    for name, row in existing.items():
        if name not in names:
            if in_use(row):
                raise RecommendationError(f"“{name}” has recommendations: move them before removing it.",
                                          field=field)
            db.session.delete(row)
    for position, name in enumerate(names):
        row = existing.get(name) or model(event_id=event.id, name=name)
        row.position = position
        db.session.add(row)


def save_settings(event, *, theme_names: Iterable[str], addressee_names: Iterable[str], preamble: str,
                  endorsement_open: bool) -> RecommendationSettings:
    """Set the themes and addressees (one name a line, in order), the preamble, and whether endorsement is open."""
    theme_names, addressee_names = _names(theme_names), _names(addressee_names)
    if not theme_names:
        raise RecommendationError("Give at least one theme.", field="themes")
    if not addressee_names:
        raise RecommendationError("Give at least one addressee.", field="addressees")

    def theme_used(theme):
        return db.session.scalar(select(func.count()).where(Recommendation.theme_id == theme.id)) > 0

    def addressee_used(addressee):
        return db.session.scalar(select(func.count()).select_from(Recommendation)
                                 .where(Recommendation.addressees.contains(addressee))) > 0

    _set_names(Theme, event, theme_names, "themes", theme_used)
    _set_names(Addressee, event, addressee_names, "addressees", addressee_used)
    settings = settings_for(event)
    settings.preamble = preamble.strip()
    settings.endorsement_open = endorsement_open
    db.session.add(settings)
    db.session.flush()
    return settings


def _record(recommendation: Recommendation, change: str, by) -> None:
    """Keep the recommendation as it now stands as its next version."""
    recommendation.version = recommendation.versions[-1].version + 1 if recommendation.versions else 1
    recommendation.versions.append(RecommendationVersion(
        version=recommendation.version, by_user_id=getattr(by, "id", None), change=change,
        status=recommendation.status, theme=recommendation.theme.name,
        addressees=[a.name for a in recommendation.addressees], source=recommendation.source,
        text=recommendation.text, translations=dict(recommendation.translations),
    ))
    db.session.flush()


def _of_event(model, event, ids: Iterable[int], field: str) -> list:
    ids = list(ids)
    rows = list(db.session.scalars(select(model).where(model.event_id == event.id, model.id.in_(ids)))) if ids else []
    if len(rows) != len(set(ids)):
        raise RecommendationError("Choose from this event's list.", field=field)
    return rows


def _clean_translations(translations: dict | None) -> dict:
    return {code: " ".join(text.split()) for code, text in (translations or {}).items()
            if code in TRANSLATION_LANGUAGES and text and text.strip()}


def _next_position(event, theme_id: int) -> int:
    last = db.session.scalar(select(func.max(Recommendation.position))
                             .where(Recommendation.event_id == event.id, Recommendation.theme_id == theme_id))
    return (last or 0) + 1


def _apply(recommendation: Recommendation, event, *, theme_id: int, addressee_ids: Iterable[int], source: str,
           text: str, translations: dict | None) -> None:
    text = " ".join((text or "").split())
    if not text:
        raise RecommendationError("Write the recommendation.", field="text")
    chosen = _of_event(Addressee, event, addressee_ids, "addressee_ids")
    if not chosen:
        raise RecommendationError("Choose at least one addressee.", field="addressee_ids")
    theme = _of_event(Theme, event, [theme_id], "theme_id")[0]
    if recommendation.theme_id != theme.id:
        recommendation.position = _next_position(event, theme.id)
    recommendation.theme = theme
    recommendation.addressees = sorted(chosen, key=lambda a: a.position)
    recommendation.source = (source or "").strip()
    recommendation.text = text
    recommendation.translations = _clean_translations(translations)


def draft(event, *, by, theme_id: int, addressee_ids: Iterable[int], text: str, source: str = "",
          translations: dict | None = None) -> Recommendation:
    """Write a new draft recommendation (organisers and rapporteurs)."""
    recommendation = Recommendation(event_id=event.id, status=Status.DRAFT, created_by_id=getattr(by, "id", None),
                                    translations={})
    _apply(recommendation, event, theme_id=theme_id, addressee_ids=addressee_ids, source=source, text=text,
           translations=translations)
    db.session.add(recommendation)
    _record(recommendation, "drafted", by)
    return recommendation


def edit(recommendation: Recommendation, *, by, theme_id: int, addressee_ids: Iterable[int], text: str,
         source: str = "", translations: dict | None = None) -> Recommendation:
    """Change a recommendation's theme, addressees, source, text or translations (a new version)."""
    if recommendation.status not in OPEN_STATUSES:
        raise RecommendationError("A merged or split recommendation is kept as it was; edit what it became.")
    event = recommendation_event(recommendation)
    _apply(recommendation, event, theme_id=theme_id, addressee_ids=addressee_ids, source=source, text=text,
           translations=translations)
    if db.session.is_modified(recommendation) or _addressees_changed(recommendation):
        _record(recommendation, "edited", by)
    return recommendation


def _addressees_changed(recommendation: Recommendation) -> bool:
    return [a.name for a in recommendation.addressees] != recommendation.versions[-1].addressees


def recommendation_event(recommendation: Recommendation):
    """The event a recommendation belongs to."""
    return db.session.get(Event, recommendation.event_id)


def set_status(recommendation: Recommendation, status: RecommendationStatus | str, *, by) -> Recommendation:
    """Adopt, reject, or take back to draft a recommendation still on the table."""
    status = Status(status)
    if status not in OPEN_STATUSES or recommendation.status not in OPEN_STATUSES:
        raise RecommendationError("A merged or split recommendation cannot change its status.")
    if recommendation.status != status:
        recommendation.status = status
        _record(recommendation, {Status.ADOPTED: "adopted", Status.REJECTED: "rejected",
                                 Status.DRAFT: "taken back to draft"}[status], by)
    return recommendation


def move(recommendation: Recommendation, direction: str, *, by) -> None:
    """Swap a recommendation with its neighbour ("up" or "down") among those of its theme with the same
    addressees (the document's group); the numbers follow."""
    in_theme = list(db.session.scalars(
        select(Recommendation).where(Recommendation.event_id == recommendation.event_id,
                                     Recommendation.theme_id == recommendation.theme_id,
                                     Recommendation.status.in_(OPEN_STATUSES))
        .order_by(Recommendation.position, Recommendation.id)))
    group = [i for i, r in enumerate(in_theme) if addressee_key(r) == addressee_key(recommendation)]
    here = group.index(in_theme.index(recommendation))
    there = here - 1 if direction == "up" else here + 1
    if not 0 <= there < len(group):
        return
    a, b = group[here], group[there]
    in_theme[a], in_theme[b] = in_theme[b], in_theme[a]
    for position, row in enumerate(in_theme, start=1):
        row.position = position
    db.session.flush()


def merge(recommendations: Sequence[Recommendation], *, by) -> Recommendation:
    """Merge two or more recommendations into a new draft that keeps the link to each of them."""
    if len(recommendations) < 2:
        raise RecommendationError("Choose at least two recommendations to merge.", field="ids")
    if any(r.status not in OPEN_STATUSES for r in recommendations):
        raise RecommendationError("A merged or split recommendation cannot be merged again.", field="ids")
    first = recommendations[0]
    addressee_ids = {a.id for r in recommendations for a in r.addressees}
    languages = {code for r in recommendations for code in r.translations}
    translations = {code: " ".join(r.translations.get(code, "") for r in recommendations).strip()
                    for code in languages}
    merged = draft(recommendation_event(first), by=by, theme_id=first.theme_id, addressee_ids=addressee_ids,
                   text=" ".join(r.text for r in recommendations),
                   source="; ".join(dict.fromkeys(r.source for r in recommendations if r.source)),
                   translations=translations)
    merged.position = min(r.position for r in recommendations if r.theme_id == first.theme_id)
    merged.origins = list(recommendations)
    merged.versions[-1].change = "merged from " + ", ".join(f"#{r.id}" for r in recommendations)
    for recommendation in recommendations:
        recommendation.status = Status.MERGED
        _record(recommendation, f"merged into #{merged.id}", by)
    return merged


def split(recommendation: Recommendation, texts: Sequence[str], *, by) -> list[Recommendation]:
    """Split a recommendation into drafts of the given texts, each linked to it (translations need redoing)."""
    texts = [t for t in (" ".join(t.split()) for t in texts) if t]
    if len(texts) < 2:
        raise RecommendationError("Write at least two parts, separated by an empty line.", field="parts")
    if recommendation.status not in OPEN_STATUSES:
        raise RecommendationError("A merged or split recommendation cannot be split again.", field="parts")
    event = recommendation_event(recommendation)
    parts = []
    for text in texts:
        part = draft(event, by=by, theme_id=recommendation.theme_id,
                     addressee_ids=[a.id for a in recommendation.addressees], text=text,
                     source=recommendation.source)
        part.origins = [recommendation]
        part.versions[-1].change = f"split from #{recommendation.id}"
        parts.append(part)
    # The parts take the original's place in the order, one after another.
    shift = len(parts)
    for row in db.session.scalars(select(Recommendation).where(
            Recommendation.theme_id == recommendation.theme_id, Recommendation.position > recommendation.position,
            Recommendation.id.not_in([p.id for p in parts]))):
        row.position += shift
    for offset, part in enumerate(parts):
        part.position = recommendation.position + offset + 1
    recommendation.status = Status.SPLIT
    _record(recommendation, "split into " + ", ".join(f"#{p.id}" for p in parts), by)
    return parts


def on_the_table(event, status: RecommendationStatus | None = None) -> list[Recommendation]:
    """The event's recommendations still on the table (or only those of one status), in document order."""
    query = (select(Recommendation).join(Theme).where(Recommendation.event_id == event.id)
             .order_by(Theme.position, Recommendation.position, Recommendation.id))
    query = query.where(Recommendation.status == status) if status else query.where(
        Recommendation.status.in_(OPEN_STATUSES))
    rows = list(db.session.scalars(query))
    # Within a theme the document groups by addressees (stable: the organisers' order stays inside a group).
    return sorted(rows, key=lambda r: (r.theme.position, addressee_key(r)))


def addressee_key(recommendation: Recommendation) -> tuple[int, ...]:
    """A recommendation's addressees as positions: the document's grouping key within a theme."""
    return tuple(a.position for a in recommendation.addressees)


def numbered(event) -> list[tuple[int, Recommendation]]:
    """The adopted recommendations with the numbers they carry in the document: 1, 2, 3 … straight through."""
    return list(enumerate(on_the_table(event, Status.ADOPTED), start=1))


def recommendation_of(event, recommendation_id: int) -> Recommendation | None:
    """One of the event's recommendations (None for another event's, so pages answer 404)."""
    found = db.session.get(Recommendation, recommendation_id)
    return found if found is not None and found.event_id == event.id else None
