"""The demo symposium, built from the sample multilingual delegates; loading it twice changes nothing."""
import csv
import io
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

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
    """Create the demo events, users and delegates unless they exist; returns what it did.

    The symposium is a month ahead (registration, badges, visa letters); a consultation two
    months ago has attendance (certificates, attendance reports).
    """
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
            **DEMO_SIGNATORY,
            signature=_demo_signature(),
        )
        created["event"] = True
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for index, row in enumerate(rows):
        data = _delegate(row)
        if row["email"] in VISA_REQUESTS:
            data.update(VISA_REQUESTS[row["email"]])
        outcome = services.register(event, data, actor="import", notify=False)
        if not outcome.created:
            continue
        created["delegates"] += 1
        # A realistic mix: most approved, a few still pending, one on the waiting list.
        if index % 7 != 3:
            lifecycle.change_status(outcome.registration, Status.APPROVED, actor="import", notify=False)
        elif index == 10:
            lifecycle.change_status(outcome.registration, Status.WAITLISTED, actor="import", notify=False)
    created["delegates"] += _past_consultation(rows, today)
    return created


# Delegates of the demo who ask for a visa invitation letter (made-up passport details).
VISA_REQUESTS = {
    "aung.myint.htun@example.org": {"needs_visa_letter": True, "nationality": "Myanmar",
                                    "passport_number": "MD0471125", "date_of_birth": "1979-08-14",
                                    "passport_expiry": "2031-02-27"},
    "somphone@example.org": {"needs_visa_letter": True, "nationality": "Lao", "passport_number": "P1938402",
                             "date_of_birth": "1984-01-30", "passport_expiry": "2030-11-05"},
    "oum.bunthan@example.org": {"needs_visa_letter": True, "nationality": "Cambodian",
                                "passport_number": "N01827364", "date_of_birth": "1990-06-02",
                                "passport_expiry": "2029-09-19"},
}
PAST_SLUG = "yunnan-consultation"
DEMO_SIGNATORY = {"signatory_name": "Dr. Somsak Wongsuwan", "signatory_title": "Regional Coordinator",
                  "signatory_organisation": "Mekong Migration Network"}


def _demo_signature() -> bytes:
    """A made-up handwritten signature, drawn as a transparent PNG (no image file ships with the demo)."""
    image = Image.new("RGBA", (420, 140), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    ink = (20, 40, 110, 255)
    strokes = [
        [(30, 95), (50, 40), (62, 100), (80, 30), (95, 96), (120, 60), (150, 92), (175, 55)],
        [(175, 55), (200, 98), (225, 50), (250, 95), (280, 62), (310, 90), (345, 58), (385, 78)],
        [(60, 115), (160, 108), (270, 112), (390, 100)],
    ]
    for stroke in strokes:
        pen.line(stroke, fill=ink, width=5, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _past_consultation(rows: list[dict], today: date) -> int:
    """A two-day consultation two months ago, with check-ins, so certificates have someone to certify."""
    from events_app.attendance.services import check_in

    if find_event(PAST_SLUG) is not None:
        return 0
    starts = today - timedelta(days=60)
    event = create_event(
        PAST_SLUG, title="Consultation on Cross-Border Labour Migration from Yunnan", starts_on=starts,
        ends_on=starts + timedelta(days=1), capacity=40, venue="Yunnan University", city="Kunming", country="CN",
        timezone="Asia/Shanghai", attendance_threshold_days=2, contact_email="symposium@example.org",
        **DEMO_SIGNATORY,
    )
    count = 0
    for index, row in enumerate(rows[::2]):
        registration = services.register(event, _delegate(row), actor="import", notify=False).registration
        count += 1
        days = event.days if index % 3 else event.days[:1]  # a third came on the first day only
        for day in days:
            check_in(registration, day=day, method="search")
    return count


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
