"""The ticket: one page, the delegate's name in their script, the event, and the badge's check-in QR."""
import pytest

from events_app.documents.badges.tickets import render_ticket

from .conftest import RENDERED, decode_qr, need, nfc, page_png, run


@pytest.mark.parametrize("page", ["a4", "a6"])
def test_ticket_shows_name_event_and_scannable_checkin_code(page, event, sample_badges, tmp_path):
    need("pdftotext", "pdftoppm", "zbarimg", "pdfinfo")
    badge = next(b for b in sample_badges if "ခင်မာဦး" in b.badge_name)  # Burmese, with an honorific
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(render_ticket(event, badge, page=page))
    assert "Pages:           1" in run("pdfinfo", str(pdf))
    text = nfc(run("pdftotext", str(pdf), "-"))
    for expected in (badge.badge_name, badge.name_latin, badge.organisation, event.dates, "Bangkok",
                     "Daw", "Myanmar"):
        assert nfc(expected) in text, expected
    assert "Greater Mekong" in text
    png = page_png(pdf, 1, 200, tmp_path / "ticket")
    assert decode_qr(png) == [badge.checkin_code]
    if page == "a4":
        page_png(pdf, 1, 60, RENDERED / "ticket-a4")
