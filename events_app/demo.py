"""The demo symposium, built from the sample multilingual delegates; loading it twice changes nothing."""
import csv
from datetime import date, timedelta
from pathlib import Path

from events_app.auth.services import create_user, find_user
from events_app.choices import Status, UserRole
from events_app.events.services import create_event, find_event
from events_app.registration import lifecycle, services

DEMO_SLUG = "mekong-migration-symposium"
DEMO_ORGANISER = "organiser@example.org"
DEMO_STAFF = "staff@example.org"
DEMO_PASSWORD = "mekong-demo-2026"  # noqa: S105 - printed by `make run` on purpose
SAMPLE = Path(__file__).parent / "data" / "demo_delegates.csv"


def load_demo(*, today: date | None = None) -> dict:
    """Create the demo event, users and delegates unless they exist; returns what it did."""
    today = today or date.today()
    created = {"event": False, "users": [], "delegates": 0}
    for email, role in ((DEMO_ORGANISER, UserRole.ORGANISER), (DEMO_STAFF, UserRole.STAFF)):
        if find_user(email) is None:
            create_user(email, password=DEMO_PASSWORD, role=role, name=role.label)
            created["users"].append(email)
    event = find_event(DEMO_SLUG)
    if event is None:
        starts = today + timedelta(days=30)
        event = create_event(
            DEMO_SLUG,
            title="Regional Symposium on Migrant Workers' Rights in the Greater Mekong Subregion",
            starts_on=starts,
            ends_on=starts + timedelta(days=2),
            capacity=120,
            approval_required=True,
            description=(
                "Three days of dialogue between governments, civil society, migrant groups, trade "
                "unions, international organisations and researchers, ending with recommendations "
                "developed jointly by the participants."
            ),
            venue="Chulalongkorn University, Sasa International House",
            city="Bangkok",
            country="TH",
            contact_email="symposium@example.org",
        )
        created["event"] = True
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for index, row in enumerate(rows):
        outcome = services.register(event, _delegate(row), actor="import", notify=False)
        if not outcome.created:
            continue
        created["delegates"] += 1
        # A realistic mix: most approved, a few still pending, one on the waiting list.
        if index % 7 != 3:
            lifecycle.change_status(outcome.registration, Status.APPROVED, actor="import", notify=False)
        elif index == 10:
            lifecycle.change_status(outcome.registration, Status.WAITLISTED, actor="import", notify=False)
    return created


def _delegate(row: dict) -> dict:
    return {
        "full_name": row["full_name"],
        "name_latin": row["name_latin"] or "",
        "honorific": row["honorific"] or "",
        "email": row["email"],
        "organisation": row["organisation"],
        "position": row["position"] or "",
        "stakeholder_group": row["stakeholder_group"],
        "country": row["country"],
        "region": row["region"] or "",
        "gender": row["gender"] or None,
        "languages": (row["languages"] or "").split(),
        "locale": row["locale"] or "en",
        "data_consent": True,
        "list_publicly": True,
    }
