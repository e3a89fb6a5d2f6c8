"""The ticket speaks the delegate's language: its labels, the event's dates, country and role names.

Read back from the PDF the delegate downloads, with poppler's pdftotext (and rendered with pdftoppm
when SCREENSHOT_DIR is set, for a person to look at).
"""
import os
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date

from tests.documents.conftest import nfc, page_png, run

STARTS = date(2027, 3, 9)
WORDS = {
    "th": ["โปรดแสดงรหัสนี้ที่จุดลงทะเบียน", "รหัสเช็กอิน:", "สอบถาม:", "ไทย", "ผู้เข้าร่วม", "กัมพูชา"],
    "km": ["សូមបង្ហាញកូដនេះនៅតុចុះឈ្មោះ។", "កូដចុះវត្តមាន៖", "សំណួរ៖", "ថៃ", "អ្នកចូលរួម", "កម្ពុជា"],
}
ENGLISH = ["Show this code", "Check-in code", "Questions", "Thailand", "Participant", "Cambodia", "March"]


@pytest.fixture()
def bangkok_event(make_event):
    return make_event(title="Mekong Consultation", city="Bangkok", country="TH", starts_on=STARTS,
                      ends_on=date(2027, 3, 11), contact_email="team@mekong.example")


@pytest.mark.parametrize("locale", WORDS)
def test_the_ticket_is_in_the_delegates_language(client, bangkok_event, make_registration, locale, tmp_path):
    registration = make_registration(bangkok_event, locale=locale, full_name="សុខ ចាន់ធី",
                                     name_latin="Sok Chanthy", country="KH")
    response = client.get(f"/r/{registration.token}/ticket.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(response.data)
    text = nfc(run("pdftotext", str(pdf), "-"))
    for word in [*WORDS[locale], format_date(STARTS, "medium", locale=locale), registration.checkin_code]:
        assert nfc(word) in text, word
    assert [word for word in ENGLISH if word in text] == []
    if os.environ.get("SCREENSHOT_DIR"):
        shots = Path(os.environ["SCREENSHOT_DIR"])
        shots.mkdir(parents=True, exist_ok=True)
        page_png(pdf, 1, 80, shots / f"ticket-{locale}")
