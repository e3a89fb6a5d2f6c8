"""The whole journey through the web: register in Khmer script, approve, print the badge, scan it at the door."""
import re
import subprocess
import unicodedata

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.choices import Status
from events_app.registration.models import Registration
from tests.conftest import submit

KHMER_DELEGATE = {
    "full_name": "សុខ ចាន់ធី",
    "name_latin": "Sok Chanthy",
    "honorific": "Ms.",
    "email": "sok.chanthy@example.org",
    "organisation": "Cambodian Migrant Workers Association",
    "stakeholder_group": "migrant_group",
    "country": "KH",
    "languages": ["km", "en"],
    "data_consent": "y",
}


def register_on_the_web(client, event) -> str:
    """Fill in the public form; returns the private page's path."""
    response = submit(client, f"/events/{event.slug}/register", KHMER_DELEGATE)
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for registering" in confirmation
    return re.search(r'href="(/r/[A-Za-z0-9_-]{43})"', confirmation).group(1)


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "badges.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _qr_codes(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "badges.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    image = next(tmp_path.glob("page*.png"))
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]


def test_register_approve_print_and_check_in(app, client, db, auth, make_event, tmp_path):
    event = make_event(approval_required=True, capacity=50)

    # A participant registers on their phone, in Khmer script.
    private_path = register_on_the_web(client, event)
    page = client.get(private_path).get_data(as_text=True)
    assert "សុខ ចាន់ធី" in page and "Pending" in page

    # An organiser signs in and approves them from the delegate list.
    auth.login("organiser")
    listing = client.get(f"/manage/events/{event.slug}/").get_data(as_text=True)
    assert "សុខ ចាន់ធី" in listing
    registration = db.session.scalar(select(Registration))
    response = submit(
        client,
        f"/manage/events/{event.slug}/delegates/{registration.id}/status",
        {"action": "approve", "back": f"/manage/events/{event.slug}/"},
        page=f"/manage/events/{event.slug}/",
        follow_redirects=True,
    )
    assert "is now Approved" in response.get_data(as_text=True)
    assert "Approved" in client.get(private_path).get_data(as_text=True)

    # Staff print the badges; the PDF holds the name and a QR code that a scanner reads.
    auth.logout()
    auth.login("staff")
    pdf = submit(client, f"/manage/events/{event.slug}/badges/print", {"action": "print"},
                 page=f"/manage/events/{event.slug}/badges")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdftotext(pdf.data, tmp_path)
    assert "Sok Chanthy" in text and "Cambodian Migrant Workers Association" in text
    assert unicodedata.normalize("NFC", "សុខ") in unicodedata.normalize("NFC", text)
    codes = _qr_codes(pdf.data, tmp_path)
    db.session.refresh(registration)
    assert codes == [registration.checkin_code]  # the check-in code, never a database id or the private token
    code = codes[0]

    # At the door the scanner types the decoded code: checked in once for the day.
    first = submit(client, f"/checkin/{event.slug}/scan", {"code": code},
                   page=f"/checkin/{event.slug}", follow_redirects=True).get_data(as_text=True)
    assert "Checked in" in first and "សុខ ចាន់ធី" in first
    second = submit(client, f"/checkin/{event.slug}/scan", {"code": code},
                    page=f"/checkin/{event.slug}", follow_redirects=True).get_data(as_text=True)
    assert "Already checked in" in second
    assert len(db.session.scalars(select(CheckIn)).all()) == 1
    assert registration.status == Status.APPROVED
