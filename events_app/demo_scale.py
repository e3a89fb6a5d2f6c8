"""`flask demo --scale N`: N realistic multilingual registrations over many events, for benchmarks.

Names mix given and family names of the sample delegates of one country (so every script appears and
no two people share a name), organisations repeat as they do at real meetings, and statuses, needs and
dates follow a plausible spread. Rows are written in bulk, not through the registration service: this
fills a database for measuring pages, it does not exercise the rules (the tests do that).
"""
import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from events_app.choices import Dietary, ParticipantRole, Status
from events_app.events.models import Event
from events_app.events.services import create_event, find_event
from events_app.extensions import db
from events_app.registration.models import Registration

SCALE_PREFIX = "scale-"
PER_EVENT = 2_000  # a large regional meeting; the first event takes a bigger share
CITIES = [("Bangkok", "TH", "Asia/Bangkok"), ("Phnom Penh", "KH", "Asia/Phnom_Penh"),
          ("Vientiane", "LA", "Asia/Vientiane"), ("Yangon", "MM", "Asia/Yangon"),
          ("Hanoi", "VN", "Asia/Ho_Chi_Minh"), ("Kunming", "CN", "Asia/Shanghai")]
STATUSES = [Status.APPROVED] * 14 + [Status.PENDING] * 3 + [Status.WAITLISTED, Status.DECLINED, Status.CANCELLED]
ROLES = [ParticipantRole.PARTICIPANT] * 12 + [ParticipantRole.SPEAKER, ParticipantRole.RAPPORTEUR,
                                              ParticipantRole.OBSERVER, ParticipantRole.PRESS]
DIETS = [None] * 6 + [Dietary.NONE] * 6 + [Dietary.VEGETARIAN, Dietary.HALAL, Dietary.NO_PORK, Dietary.VEGAN]


@dataclass
class ScaleReport:
    events: int
    added: int
    total: int


def _samples() -> list[dict]:
    from events_app.demo import SAMPLE

    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _scale_events(count: int, today: date) -> list[Event]:
    events = []
    for number in range(1, count + 1):
        slug = f"{SCALE_PREFIX}{number:02d}"
        event = find_event(slug)
        if event is None:
            city, country, zone = CITIES[(number - 1) % len(CITIES)]
            starts = today + timedelta(days=20 * number - 60)  # some past, most ahead
            event = create_event(slug, title=f"Regional Consultation {number} on Labour Migration ({city})",
                                 starts_on=starts, ends_on=starts + timedelta(days=2), city=city, country=country,
                                 timezone=zone, contact_email="secretariat@example.org")
        events.append(event)
    db.session.flush()  # their ids
    return events


def _person(index: int, rows: list[dict], peers: dict[str, list[dict]], rng: random.Random,
            event: Event) -> Registration:
    row = rows[index % len(rows)]
    other = rng.choice(peers[row["country"]])
    given, family = row["full_name"].split(" ")[0], other["full_name"].split(" ")[-1]
    full_name = f"{given} {family}" if given != family else given
    latin_name = ""
    if row["name_latin"] and other["name_latin"]:
        latin_name = f'{row["name_latin"].split(" ")[0]} {other["name_latin"].split(" ")[-1]}'
    status = rng.choice(STATUSES)
    registered = datetime.combine(event.starts_on - timedelta(days=rng.randint(1, 90)),
                                  time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=UTC)
    visa = rng.random() < 0.08
    return Registration(
        event_id=event.id, status=status, registered_at=registered,
        waitlist_position=index if status == Status.WAITLISTED else None,
        full_name=full_name, name_latin=latin_name,
        sort_name=(latin_name or full_name).casefold(),  # as registration.services sets it
        honorific=row["honorific"] or "", email=f"delegate{index}.{event.id}@example.org",
        organisation=other["organisation"], position=row["position"] or "",
        stakeholder_group=row["stakeholder_group"], country=row["country"], gender=row["gender"] or None,
        languages=(row["languages"] or "en").split(), locale=row["locale"] or "en",
        dietary=rng.choice(DIETS), accessibility_needs="Wheelchair access" if rng.random() < 0.03 else "",
        needs_visa_letter=visa, nationality=row["country"] if visa else None,
        passport_number=f"P{rng.randint(10**6, 10**7 - 1)}" if visa else None,
        participant_role=rng.choice(ROLES), data_consent=True, data_consent_at=registered,
        list_publicly=rng.random() < 0.7, photo_consent=rng.random() < 0.6,
    )


def load_scale(total: int, *, today: date | None = None, seed: int = 2026) -> ScaleReport:
    """Top the scale events up to `total` registrations in all (running it again adds nothing)."""
    today = today or date.today()
    count = max(3, -(-total // PER_EVENT))
    events = _scale_events(count, today)
    ids = [event.id for event in events]
    have = dict(db.session.execute(select(Registration.event_id, func.count()).where(
        Registration.event_id.in_(ids)).group_by(Registration.event_id)).all())
    # The first event holds a third (the big symposium), the rest share the remainder evenly.
    first = total // 3
    shares = [first] + [(total - first) // (count - 1) + (1 if i < (total - first) % (count - 1) else 0)
                        for i in range(count - 1)]
    rows, rng, added = _samples(), random.Random(seed), 0
    peers: dict[str, list[dict]] = {}  # the sample delegates of each country, whose names mix
    for row in rows:
        peers.setdefault(row["country"], []).append(row)
    for event, share in zip(events, shares, strict=True):
        start = have.get(event.id, 0)
        batch = [_person(index, rows, peers, rng, event) for index in range(start, share)]
        for offset in range(0, len(batch), 1000):
            db.session.add_all(batch[offset:offset + 1000])
            db.session.flush()
        added += len(batch)
    total_now = db.session.scalar(select(func.count()).where(Registration.event_id.in_(ids)))
    return ScaleReport(events=count, added=added, total=total_now)
