"""Visa invitation letters: passport details for those who asked, release by organisers, private download.

The letter is signed: the signatory (name, title, organisation, signature image) is set in the event's
settings and printed on every letter, and letters are not released until it is set.
"""
import io
import re
import subprocess
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from events_app.choices import Status
from events_app.documents.lists.letters import render_letters
from events_app.documents.records import EventInfo, LetterRow
from events_app.extensions import db as _db
from events_app.mail.models import OutboxMessage
from tests.conftest import csrf_token, submit
from tests.manage.test_event_settings import edit_data, error_beside, image_bytes, settings_url, upload

from .conftest import RENDERED, need, nfc, page_png, run

LETTERHEAD = "Mekong Migration Network\nRegional Secretariat, 123 Sukhumvit Road, Bangkok 10110\nTel. +66 2 123 4567"


def _passport(n: int, **extra) -> dict:
    return dict(needs_visa_letter=True, nationality=extra.pop("nationality", "Cambodian"),
                passport_number=f"N01234{n:02d}", date_of_birth=date(1985, 3, n), passport_expiry=date(2031, 1, n),
                **extra)


@pytest.fixture()
def symposium(make_event, make_registration):
    """Four delegates asked for a letter (one still pending), one did not."""
    event = make_event(slug="mekong-2026", title="Mekong Symposium 2026", city="Bangkok", country="TH",
                       venue="Chulalongkorn University", starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 5),
                       letterhead_text=LETTERHEAD, signatory_name="Dr. Somsak Wongsuwan",
                       signatory_title="Regional Coordinator", signatory_organisation="Mekong Migration Network",
                       contact_email="symposium@mekong.example")
    regs = {
        "khmer": make_registration(event, full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", honorific="Ms.",
                                   organisation="Cambodian Migrant Workers Association", position="Coordinator",
                                   country="KH", **_passport(2, arrival_date=date(2026, 3, 2),
                                                              departure_date=date(2026, 3, 6))),
        "burmese": make_registration(event, full_name="အောင်မြင့်ထွန်း", name_latin="Aung Myint Htun",
                                     country="MM", **_passport(3, nationality="Myanmar")),
        "chinese": make_registration(event, full_name="李明华", name_latin="Li Minghua", country="CN",
                                     organisation="云南省社会科学院", **_passport(4, nationality="Chinese")),
        "pending": make_registration(event, full_name="Pending Person", **_passport(5)),
        "no letter": make_registration(event, full_name="Maria Santos", organisation="ILO"),
    }
    regs["pending"].status = Status.PENDING
    _db.session.commit()
    return event, regs


def test_letters_only_for_approved_delegates_who_asked_with_passport_details(app, symposium, tmp_path):
    need("pdftotext", "pdftoppm", "qpdf", "pdffonts")
    event, regs = symposium
    out = tmp_path / "letters.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "letters", "mekong-2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 visa letters on 3 pages" in result.output
    text = nfc(run("pdftotext", "-raw", str(out), "-"))
    for key in ("khmer", "burmese", "chinese"):
        reg = regs[key]
        assert nfc(reg.full_name) in text and reg.name_latin in text
        assert reg.passport_number in text and reg.nationality in text
        assert f"{date.fromisoformat(reg.date_of_birth).day} March 1985" in text
        assert f"{date.fromisoformat(reg.passport_expiry).day} January 2031" in text
        assert f"MEKONG-2026/VL-{reg.id:05d}" in text
    assert "云南省社会科学院" in text
    assert "Intended arrival 2 March 2026" in text and "Intended departure 6 March 2026" in text
    assert "Pending Person" not in text and "N0123405" not in text and "Maria Santos" not in text
    assert "Mekong Migration Network" in text and "Dr. Somsak Wongsuwan" in text
    assert "Chulalongkorn University, Bangkok, Thailand from 3 March 2026 to 5 March 2026" in text
    assert "We are pleased to invite Ms. Sok Chanthy (Coordinator, Cambodian Migrant Workers Association)" in text
    for page in (1, 2, 3):  # one page per letter, each on the letterhead
        assert "Mekong Migration Network" in run("pdftotext", "-f", str(page), "-l", str(page), str(out), "-")
    listing = run("pdffonts", str(out)).splitlines()[2:]
    assert [line for line in listing if line.split()[-5] != "yes"] == []
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(out))
    page_png(out, 1, 90, RENDERED / "visa-letter")


def _release(client, registration_id=None):
    data = {} if registration_id is None else {"registration_id": str(registration_id)}
    return submit(client, "/manage/events/mekong-2026/visa-letters/release", data,
                  page="/manage/events/mekong-2026/documents")


def _outbox(registration_id):
    return _db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration_id,
                                                           OutboxMessage.kind == "visa_letter_ready")).all()


def test_private_download_is_404_until_released_then_only_ones_own(client, auth, symposium):
    need("pdftotext")
    event, regs = symposium
    khmer, burmese = regs["khmer"], regs["burmese"]
    assert client.get(f"/r/{khmer.token}/visa-letter.pdf").status_code == 404
    assert client.get("/r/not-a-token/visa-letter.pdf").status_code == 404

    auth.login("organiser")
    response = _release(client, khmer.id)
    assert response.status_code == 303
    _db.session.expire_all()
    assert khmer.visa_letter_released_at is not None and burmese.visa_letter_released_at is None
    assert len(_outbox(khmer.id)) == 1 and _outbox(burmese.id) == []
    auth.logout()

    response = client.get(f"/r/{khmer.token}/visa-letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = nfc(_pdf_text(response.data))
    assert khmer.passport_number in text and burmese.passport_number not in text
    assert "Bangkok, " in text
    # Another delegate's link never shows this letter, and their own is not released.
    assert client.get(f"/r/{burmese.token}/visa-letter.pdf").status_code == 404
    assert client.get(f"/r/{regs['no letter'].token}/visa-letter.pdf").status_code == 404


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_release_all_emails_each_once_and_skips_the_pending(client, auth, symposium):
    event, regs = symposium
    auth.login("organiser")
    response = _release(client)
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 visa letter(s) released" in html
    _db.session.expire_all()
    for key in ("khmer", "burmese", "chinese"):
        assert regs[key].visa_letter_released_at is not None and len(_outbox(regs[key].id)) == 1
    assert regs["pending"].visa_letter_released_at is None
    response = _release(client)  # nothing left: no second email
    assert "No letter was waiting" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert all(len(_outbox(regs[key].id)) == 1 for key in ("khmer", "burmese", "chinese"))
    # A registration that did not ask, or of another event, cannot be released.
    response = _release(client, regs["no letter"].id)
    assert "who asked for a visa letter" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert regs["no letter"].visa_letter_released_at is None and _outbox(regs["no letter"].id) == []
    assert _release(client, 999999).status_code == 404


def test_a_letter_is_no_longer_downloadable_once_the_registration_is_cancelled(client, auth, symposium):
    event, regs = symposium
    auth.login("organiser")
    _release(client, regs["burmese"].id)
    assert client.get(f"/r/{regs['burmese'].token}/visa-letter.pdf").status_code == 200
    regs["burmese"].status = Status.CANCELLED
    _db.session.commit()
    assert client.get(f"/r/{regs['burmese'].token}/visa-letter.pdf").status_code == 404


def test_letters_and_release_are_for_organisers_only(client, auth, symposium):
    event, regs = symposium
    assert client.get("/manage/events/mekong-2026/visa-letters.pdf").status_code == 302
    auth.login("staff")
    assert client.get("/manage/events/mekong-2026/visa-letters.pdf").status_code == 403
    # Staff may print certificates (nobody has attended yet, so they are told so instead of a PDF).
    assert client.get("/manage/events/mekong-2026/certificates.pdf").status_code == 303
    token = csrf_token(client.get("/manage/events/mekong-2026/documents").get_data(as_text=True))
    response = client.post("/manage/events/mekong-2026/visa-letters/release", data={"csrf_token": token})
    assert response.status_code == 403
    auth.logout()
    auth.login("organiser")
    response = client.post("/manage/events/mekong-2026/visa-letters/release", data={})  # no CSRF token
    assert response.status_code == 400
    _db.session.expire_all()
    assert all(r.visa_letter_released_at is None for r in regs.values())
    response = client.get(f"/manage/events/mekong-2026/visa-letters.pdf?registration_id={regs['chinese'].id}")
    assert response.status_code == 200
    text = nfc(_pdf_text(response.data))
    assert "Li Minghua" in text and "Sok Chanthy" not in text


def test_renderer_prints_markup_characters_and_skips_missing_details(tmp_path):
    need("pdftotext")
    event = EventInfo(title="Forum <A&B>", dates="3 March 2026", starts_on=date(2026, 3, 3),
                          ends_on=date(2026, 3, 3), letterhead_text='Network "Q" & <Co>')
    row = LetterRow(reference="X/VL-00001", full_name="Ann & <Bob>", name_latin="", honorific="", organisation="",
                    position="", country="", nationality="Thai", passport_number="AA<1>&",
                    date_of_birth="31/02/1980", passport_expiry=None)
    buf = io.BytesIO()
    report = render_letters(event, [row], buf, issued_on=date(2026, 2, 1))
    assert report.items == 1 and report.pages == 1
    text = nfc(_pdf_text(buf.getvalue()))
    assert "Ann & <Bob>" in text and "AA<1>&" in text and 'Network "Q" & <Co>' in text
    assert "Forum <A&B>" in text and "31/02/1980" in text  # printed as entered when not a date
    assert "Passport expiry" not in text and "Intended arrival" not in text


@pytest.mark.parametrize("argument", ["registration_id=abc", "registration_id=1.5", "registration_id=%20x"])
def test_a_malformed_registration_id_is_refused_not_every_letter(client, auth, symposium, argument):
    auth.login("organiser")
    response = client.get(f"/manage/events/mekong-2026/visa-letters.pdf?{argument}")
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
    assert response.mimetype != "application/pdf"


# --- the signatory ---------------------------------------------------------------------------------

DOCUMENTS = "/manage/events/mekong-2026/documents"


def _signature_png() -> bytes:
    """A dark scribble on a transparent background, with a text chunk a re-encoding drops."""
    from PIL import ImageDraw, PngImagePlugin

    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 150), (150, 30), (300, 170), (580, 40)], fill=(10, 20, 90, 255), width=8)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "somebody's phone")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _pdf(data: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _images(data: bytes) -> list[str]:
    listing = subprocess.run(["pdfimages", "-list", "-", ], input=data, capture_output=True, check=False).stdout
    return listing.decode().splitlines()[2:]


def test_release_is_refused_with_the_reason_beside_the_button_until_the_signatory_is_set(client, auth, symposium):
    event, regs = symposium
    event.signatory_organisation = ""
    _db.session.commit()
    auth.login("organiser")

    page = client.get(DOCUMENTS).get_data(as_text=True)
    buttons = re.findall(r"<button[^>]*>", page)
    blocked = [b for b in buttons if "disabled" in b and 'aria-describedby="release-blocked"' in b]
    assert len(blocked) == 4, buttons  # "Release all" and each of the three delegates' "Release"
    assert "Letters cannot be released yet: embassies expect a named signatory." in page
    assert f'href="/manage/events/{event.slug}/settings#signatory"' in page
    response = submit(client, "/manage/events/mekong-2026/visa-letters/release", {}, page=DOCUMENTS)
    assert response.status_code == 303
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be released until the event" in shown and "name, title and organisation" in shown
    _db.session.expire_all()
    assert all(r.visa_letter_released_at is None for r in regs.values())
    assert _db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "visa_letter_ready")).all() == []

    response = submit(client, settings_url(event), edit_data(event, signatory_name="Dr. Somsak Wongsuwan",
                                                             signatory_title="Regional Coordinator",
                                                             signatory_organisation="Mekong Migration Network"))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(DOCUMENTS).get_data(as_text=True)
    assert "release-blocked" not in page and "Letters cannot be released yet" not in page
    response = submit(client, "/manage/events/mekong-2026/visa-letters/release", {}, page=DOCUMENTS)
    assert "3 visa letter(s) released" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_letter_an_embassy_reads_is_signed_by_name_title_organisation_and_signature(client, auth, symposium):
    need("pdftotext", "pdfimages")
    event, regs = symposium
    auth.login("organiser")
    original = _signature_png()
    response = submit(client, settings_url(event), edit_data(
        event, signatory_name="Dr. Somsak Wongsuwan", signatory_title="Regional Coordinator",
        signatory_organisation="Mekong Migration Network", signature=upload(original, "signature.png")))
    assert response.status_code == 302, response.get_data(as_text=True)
    _db.session.expire_all()
    assert event.signature_content_type == "image/png" and event.signature_image != original
    stored = Image.open(io.BytesIO(event.signature_image))
    assert stored.format == "PNG" and stored.mode == "RGBA" and "Author" not in stored.info  # re-encoded
    settings = client.get(settings_url(event)).get_data(as_text=True)
    assert 'src="data:image/png;base64,' in settings and 'name="remove_signature"' in settings

    submit(client, "/manage/events/mekong-2026/visa-letters/release", {"registration_id": str(regs["khmer"].id)},
           page=DOCUMENTS)
    auth.logout()
    letter = client.get(f"/r/{regs['khmer'].token}/visa-letter.pdf")  # as the delegate hands it to the embassy
    assert letter.status_code == 200
    text = nfc(_pdf(letter.data, "-raw"))
    assert "Yours faithfully, Dr. Somsak Wongsuwan Regional Coordinator Mekong Migration Network" in text
    assert len(_images(letter.data)) >= 1  # the signature is drawn above the name

    auth.login("organiser")
    submit(client, settings_url(event), edit_data(event, signatory_organisation="Mekong Migration Network",
                                                  remove_signature="y"))
    _db.session.expire_all()
    assert (event.signature_image, event.signature_content_type) == (None, "")
    all_letters = client.get("/manage/events/mekong-2026/visa-letters.pdf").data
    assert _images(all_letters) == [] and "Mekong Migration Network" in _pdf(all_letters)


def test_a_signature_that_is_not_a_usable_image_is_refused_beside_the_field(client, auth, symposium):
    event, _regs = symposium
    auth.login("organiser")
    for data, message in ((b"%PDF-1.4 not an image", "This file is not a PNG or JPEG image."),
                          (image_bytes("PNG", size=(4001, 10)), "at most 4000 pixels a side")):
        response = submit(client, settings_url(event), edit_data(event, signatory_organisation="Changed",
                                                                 signature=upload(data, "signature.png")))
        assert response.status_code == 200
        assert message in error_beside(response.get_data(as_text=True), "signature")
    _db.session.expire_all()
    assert event.signature_image is None and event.signatory_organisation == "Mekong Migration Network"
