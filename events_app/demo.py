"""The demo symposium, built from the sample multilingual delegates; loading it twice changes nothing."""
import csv
import io
from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from events_app.auth.services import create_user, find_user
from events_app.choices import EventRole, Status, UserRole
from events_app.events import access
from events_app.events.services import create_event, find_event
from events_app.extensions import db
from events_app.recommendations import endorsements as endorsing
from events_app.recommendations import services as recs
from events_app.registration import lifecycle, services
from events_app.registration.models import Registration

DEMO_SLUG = "mekong-migration-symposium"
DEMO_ORGANISER = "organiser@example.org"
DEMO_STAFF = "staff@example.org"
DEMO_PASSWORD = "mekong-demo-2026"  # noqa: S105 - printed by `make run` on purpose
SAMPLE = Path(__file__).parent / "data" / "demo_delegates.csv"


class DemoRefused(click.ClickException):
    """The demo would create an organiser whose password is published: never in production."""


def load_demo(*, today: date | None = None) -> dict:
    """Create the demo events, users and delegates unless they exist; returns what it did.

    The symposium is a month ahead (registration, badges, visa letters); a consultation two
    months ago has attendance (certificates, attendance reports).
    """
    if current_app.config.get("APP_ENV") == "production":
        raise DemoRefused("the demo is refused in production: it creates an organiser with a published password")
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
    _grant_demo_team()
    _past_recommendations(find_event(PAST_SLUG))
    return created


def _grant_demo_team() -> None:
    """The demo organiser organises, and the demo staff member staffs, both demo events (again: no change)."""
    for slug in (DEMO_SLUG, PAST_SLUG):
        event = find_event(slug)
        access.grant(find_user(DEMO_ORGANISER), event, EventRole.ORGANISER)
        access.grant(find_user(DEMO_STAFF), event, EventRole.STAFF)


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


THEMES = ("Labour migration governance", "Health", "Social protection", "Return and reintegration")
ADDRESSEES = ("Governments of countries of origin", "Governments of countries of destination", "ASEAN",
              "ILO and IOM", "Employers", "Civil society")
PREAMBLE = (
    "We, the participants of the Consultation on Cross-Border Labour Migration from Yunnan — representatives "
    "of governments, migrant groups, trade unions, civil society organisations, international organisations "
    "and researchers from Cambodia, China, Lao PDR, Myanmar, Thailand and Viet Nam — met in Kunming to review "
    "the situation of migrant workers who cross the borders of the Greater Mekong Subregion.\n\n"
    "Recognising that migrant workers contribute to the economies of countries of origin and destination "
    "alike, and that their rights are human rights, we jointly developed and adopted the following "
    "recommendations, addressed to governments, ASEAN, the ILO and IOM, employers and civil society."
)
# (theme, addressees, working group, text, status, Khmer translation)
RECOMMENDATIONS = [
    (0, (0, 1), "Working group 1: governance", "Ratify and implement ILO Conventions No. 97, No. 143 and No. 189, "
     "and align national labour migration laws with them.", "adopted", ""),
    (0, (1,), "Working group 1: governance", "Allow migrant workers to change employers without losing their "
     "legal status, and end the practice of employers holding workers' passports.", "adopted",
     "អនុញ្ញាតឱ្យពលករចំណាកស្រុកផ្លាស់ប្តូរនិយោជកដោយមិនបាត់បង់ឋានៈស្របច្បាប់។"),
    (0, (2,), "Working group 1: governance", "Adopt a binding ASEAN instrument on the protection and promotion "
     "of the rights of migrant workers, covering workers in irregular situations.", "adopted", ""),
    (0, (0,), "Working group 1: governance", "Cap recruitment fees charged to workers at zero and license and "
     "monitor recruitment agencies, publishing the list of those sanctioned.", "adopted", ""),
    (1, (1,), "Working group 2: health", "Give migrant workers and their families access to public health "
     "insurance on the same terms as nationals, whatever their documentation.", "adopted",
     "ផ្តល់ឱ្យពលករចំណាកស្រុក និងគ្រួសាររបស់ពួកគេនូវការធានារ៉ាប់រងសុខភាពសាធារណៈ។"),
    (1, (3,), "Working group 2: health", "Support cross-border referral of patients with tuberculosis and HIV "
     "so that treatment continues when workers move or return.", "adopted", ""),
    (1, (4,), "Working group 2: health", "Provide safe housing and occupational health and safety training in "
     "languages migrant workers understand.", "adopted", ""),
    (2, (0, 1), "Plenary session: social protection", "Conclude bilateral social security agreements so that "
     "contributions are portable and pensions are paid after return.", "adopted", ""),
    (2, (5,), "Plenary session: social protection", "Inform migrant workers of their social protection "
     "entitlements before departure and on arrival, with migrant-led organisations.", "adopted", ""),
    (2, (1,), "Plenary session: social protection", "Include domestic workers and seasonal agricultural "
     "workers in labour and social security laws.", "draft", ""),
    (3, (0,), "Working group 3: return", "Set up reintegration services for returning migrants, including "
     "recognition of skills gained abroad.", "draft", ""),
    (3, (4,), "Working group 3: return", "Employers should pay for the return journey of workers whose "
     "contract ends.", "draft", ""),
    (0, (1,), "Working group 1: governance", "Deport migrant workers in irregular situations more quickly.",
     "rejected", ""),
]


def _past_recommendations(event) -> None:
    """The past consultation's recommendations: adopted ones over three themes, drafts, a rejected and a merged one."""
    if recs.themes(event):
        return
    organiser = find_user(DEMO_ORGANISER)
    access.grant(organiser, event, EventRole.ORGANISER)  # the same grant the workspace's roles give (idempotent)
    recs.save_settings(event, theme_names=THEMES, addressee_names=ADDRESSEES, preamble=PREAMBLE,
                       endorsement_open=True)
    themes, addressees = recs.themes(event), recs.addressees(event)
    made = []
    for theme, to, source, text, status, khmer in RECOMMENDATIONS:
        rec = recs.draft(event, by=organiser, theme_id=themes[theme].id, source=source, text=text,
                         addressee_ids=[addressees[i].id for i in to], translations={"km": khmer} if khmer else {})
        if status != "draft":
            recs.set_status(rec, status, by=organiser)
        made.append(rec)
    # Two overlapping drafts from the working groups, merged by the organiser into one adopted recommendation.
    parts = [recs.draft(event, by=organiser, theme_id=themes[2].id, addressee_ids=[addressees[3].id],
                        source="Working group 2: health", text=text) for text in (
        "The ILO and IOM should support governments in extending social protection floors to migrant workers.",
        "Technical support is needed to measure how many migrant workers are covered by social protection.")]
    merged = recs.merge(parts, by=organiser)
    recs.edit(merged, by=organiser, theme_id=merged.theme_id, addressee_ids=[addressees[3].id],
              source=merged.source, text="The ILO and IOM should support governments in extending social protection "
              "floors to migrant workers and in measuring how many of them are covered.")
    recs.set_status(merged, "adopted", by=organiser)
    # Some delegates have endorsed already (the first nine made are the adopted ones).
    approved = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                             Registration.status == Status.APPROVED)
                                  .order_by(Registration.id).limit(8))
    for index, registration in enumerate(approved):
        for rec in made[:9:index % 3 + 1]:
            endorsing.endorse(registration, rec, endorses=True, list_organisation=index % 2 == 0)
