"""Certificates of attendance: only for delegates checked in on enough days, names in their own script."""
import io
from datetime import date

import pytest

from events_app.attendance.services import check_in
from events_app.choices import Status
from events_app.documents.lists.certificates import attendance_line, format_days, render_certificates
from events_app.documents.lists.queries import certificate_rows
from events_app.documents.records import CertificateRow, EventInfo
from events_app.extensions import db as _db

from .conftest import RENDERED, need, nfc, page_png, run

DAYS = [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)]


@pytest.fixture()
def symposium(make_event, make_registration):
    """Three days, threshold two: who came on which day decides who gets a certificate."""
    event = make_event(slug="mekong-2026", title="Mekong Symposium 2026", city="Bangkok",
                       venue="Chulalongkorn University", country="TH", starts_on=DAYS[0], ends_on=DAYS[-1],
                       attendance_threshold_days=2, signatory_name="Dr. Somsak Wongsuwan",
                       signatory_title="Regional Coordinator, Mekong Migration Network")
    people = {
        "every day": dict(full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", organisation="CMWA", country="KH"),
        "two days": dict(full_name="အောင်မြင့်ထွန်း", name_latin="Aung Myint Htun", country="MM",
                         organisation="Migrant Workers Rights Network"),
        "chinese": dict(full_name="李明华", name_latin="Li Minghua", country="CN", region="Yunnan",
                        organisation="Yunnan Academy of Social Sciences"),
        "one day": dict(full_name="สมชาย ใจดี", name_latin="Somchai Jaidee", country="TH"),
        "never": dict(full_name="Maria Santos", organisation="ILO"),
        "one day and a day outside": dict(full_name="ສົມພອນ ພົມມະວົງ", name_latin="Somphone Phommavong"),
        "cancelled after coming": dict(full_name="Trần Văn Đức", name_latin="Tran Van Duc"),
    }
    regs = {key: make_registration(event, **fields) for key, fields in people.items()}
    attended = {"every day": DAYS, "two days": DAYS[::2], "chinese": DAYS[1:], "one day": DAYS[1:2],
                "one day and a day outside": [DAYS[0], date(2026, 3, 6)],
                "cancelled after coming": DAYS}
    for key, days in attended.items():
        for day in days:
            check_in(regs[key], day=day)
    regs["cancelled after coming"].status = Status.CANCELLED
    _db.session.commit()
    return event, regs


def test_only_delegates_over_the_threshold_get_one_page_each(app, symposium, tmp_path):
    need("pdftotext", "pdftoppm", "qpdf", "pdffonts", "pdfinfo")
    event, regs = symposium
    out = tmp_path / "certificates.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "certificates", "mekong-2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 certificates (at least 2 days attended)" in result.output
    text = nfc(run("pdftotext", str(out), "-"))
    for key in ("every day", "two days", "chinese"):
        assert nfc(regs[key].full_name) in text and regs[key].name_latin in text
    for key in ("one day", "never", "one day and a day outside", "cancelled after coming"):
        assert nfc(regs[key].full_name) not in text, key
        assert (regs[key].name_latin or regs[key].full_name) not in text
    assert "Pages:           3" in run("pdfinfo", str(out))
    # In Latin-name order: Aung, Li, Sok.
    assert text.index("Aung Myint Htun") < text.index("Li Minghua") < text.index("Sok Chanthy")
    assert "Attended all 3 days: 3, 4 and 5 March 2026" in text
    assert "Attended 2 of 3 days: 3 and 5 March 2026" in text
    assert "Yunnan, China" in text and "Dr. Somsak Wongsuwan" in text and "Mekong Symposium 2026" in text
    assert "held at Chulalongkorn University, Bangkok, Thailand on 3\u20135 March 2026" in text
    listing = run("pdffonts", str(out)).splitlines()[2:]
    embedded = {line.split()[0].split("+")[-1] for line in listing if line.split()[-5] == "yes"}
    assert {"NotoSansKhmer-Bold", "NotoSansMyanmar-Bold", "DroidSansFallback"} <= embedded
    assert [line for line in listing if line.split()[-5] != "yes"] == []
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(out))
    page_png(out, 1, 80, RENDERED / "certificate")


def test_rows_are_one_query_with_the_days_attended(app, symposium):
    event, regs = symposium
    rows = certificate_rows(event)
    assert [r.name_latin for r in rows] == ["Aung Myint Htun", "Li Minghua", "Sok Chanthy"]
    assert rows[0].days == (DAYS[0], DAYS[2])


def test_threshold_of_one_day_includes_a_single_day(app, symposium):
    event, regs = symposium
    event.attendance_threshold_days = 1
    _db.session.commit()
    names = [r.name_latin for r in certificate_rows(event)]
    assert "Somchai Jaidee" in names and "Somphone Phommavong" in names and "Tran Van Duc" not in names


def test_no_one_attended_yet_gives_one_explanatory_page(app, make_event, tmp_path):
    need("pdftotext")
    make_event(slug="empty-meeting", title="Empty Meeting")
    out = tmp_path / "none.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "certificates", "empty-meeting", "-o", str(out)])
    assert result.exit_code == 0 and "0 certificates" in result.output
    assert "has been checked in on at least 1 day yet" in nfc(run("pdftotext", str(out), "-"))


def test_day_wording():
    assert format_days([date(2026, 3, 30), date(2026, 4, 1)]) == "30 March and 1 April 2026"
    assert format_days([date(2026, 12, 31), date(2027, 1, 1)]) == "31 December 2026 and 1 January 2027"
    event = EventInfo(title="T", dates="", starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 3))
    row = CertificateRow("A", "", "", "", (date(2026, 3, 3),))
    assert attendance_line(row, event) == "Attended 1 of 1 day: 3 March 2026"


def test_long_name_and_markup_characters_fit_and_print_as_themselves(tmp_path):
    need("pdftotext")
    event = EventInfo(title="Symposium <2026> & \"Friends\"", dates="3 March 2026", starts_on=date(2026, 3, 3),
                          ends_on=date(2026, 3, 3), signatory_name="O'Brien & Partners")
    long_name = "Maria Fernanda de los Ángeles Guadalupe Rodríguez-Villanueva Sánchez de Bustamante y Ortega"
    rows = [CertificateRow(long_name, "", "A & B <Ltd>", "Thailand", (date(2026, 3, 3),))]
    buf = io.BytesIO()
    report = render_certificates(event, rows, buf)
    assert report.items == 1 and report.pages == 1
    path = tmp_path / "c.pdf"
    path.write_bytes(buf.getvalue())
    text = nfc(run("pdftotext", str(path), "-"))
    # pdftotext joins a line that ends in a hyphen with the next one, dropping the hyphen.
    assert long_name.replace("-", "") in text.replace("-", "")
    assert "A & B <Ltd>, Thailand" in text and 'Symposium <2026> & "Friends"' in text
    assert "O'Brien & Partners" in text


def test_web_download_for_staff(client, auth, symposium):
    assert client.get("/manage/events/mekong-2026/certificates.pdf").status_code == 302
    auth.login("staff")
    response = client.get("/manage/events/mekong-2026/certificates.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    html = client.get("/manage/events/mekong-2026/documents").get_data(as_text=True)
    assert "3 delegates have been checked in on at least 2 day(s)." in html


def test_a_missing_font_is_a_warning_not_a_crash(latin_fonts_only):
    fonts = latin_fonts_only
    event = EventInfo(title="Forum", dates="3 March 2026", starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 3))
    rows = [CertificateRow("အောင်မြင့်ထွန်း", "Aung Myint Htun", "MWRN", "Myanmar", (date(2026, 3, 3),)),
            CertificateRow("李明华", "Li Minghua", "YASS", "China", (date(2026, 3, 3),))]
    buf = io.BytesIO()
    report = render_certificates(event, rows, buf, font_dirs=[str(fonts)], system_fonts=False)
    assert buf.getvalue().startswith(b"%PDF") and report.pages == 2
    assert report.missing_scripts == {"Myanmar": ["Aung Myint Htun"], "Han": ["Li Minghua"]}
    assert any("Myanmar" in w and "Aung Myint Htun" in w and "certificate" in w for w in report.warnings)
