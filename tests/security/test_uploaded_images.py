"""Uploaded images (issue 13, gap 9): re-encoded so only pixels are kept, and served as images, never sniffed."""
import io

import pytest
from PIL import Image

from events_app.events.services import EventError, reencoded_image
from tests.conftest import submit
from tests.manage.test_event_settings import edit_data, image_bytes, same_pixels, settings_url, upload

HTML = b"<html><script>alert(document.cookie)</script></html>"


def polyglot(kind: str) -> bytes:
    """A valid image with HTML after its end (a PNG past IEND, a JPEG past EOI) and in a JPEG comment."""
    if kind == "JPEG":
        image = Image.new("RGB", (120, 40), (11, 92, 173))
        out = io.BytesIO()
        image.save(out, "JPEG", comment=HTML)
        return out.getvalue() + HTML
    return image_bytes("PNG") + HTML


@pytest.mark.parametrize("kind, content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_an_image_with_html_inside_is_stored_as_its_pixels_alone(client, db, auth, make_event, kind,
                                                                 content_type):
    event = make_event()
    auth.login("organiser")
    data = polyglot(kind)
    assert HTML in data
    response = submit(client, settings_url(event), edit_data(event, logo=upload(data, "logo.png"),
                                                             signature=upload(data, "signature.png")))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    for stored in (event.logo, event.signature_image):
        assert b"<html" not in stored and b"script" not in stored
        assert same_pixels(stored, data)
    served = client.get(f"/manage/events/{event.slug}/logo")
    assert served.mimetype == content_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<html" not in served.get_data()


def test_metadata_is_dropped_and_the_caps_hold(db):
    image = Image.new("RGB", (50, 50), (200, 10, 10))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00")
    data, content_type = reencoded_image(out.getvalue())
    assert content_type == "image/jpeg"
    with Image.open(io.BytesIO(data)) as reread:
        assert "exif" not in reread.info
    for refused in (image_bytes("PNG", size=(4001, 10)), b"GIF89a" + b"\0" * 100,
                    b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024)):
        with pytest.raises(EventError):
            reencoded_image(refused)
