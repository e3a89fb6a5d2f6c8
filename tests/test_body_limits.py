"""A body sent without a length (chunked) meets the same limits as one with: 413, not read and cut short."""
import io
from urllib.parse import urlencode

from tests.conftest import csrf_token
from tests.registration.test_form import VALID


def _chunked_post(client, path: str, body: bytes, content_type="application/x-www-form-urlencoded"):
    """POST `body` with no Content-Length, as a chunked request reaches the app through gunicorn."""
    return client.post(path, input_stream=io.BytesIO(body), content_type=content_type,
                       headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_body_over_the_upload_limit_is_refused_with_413(client, db, make_event, app):
    event = make_event()
    body = b"full_name=" + b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)

    response = _chunked_post(client, f"/events/{event.slug}/register", body)

    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_chunked_form_over_the_form_limit_is_refused_with_413(client, db, make_event, app):
    event = make_event()
    body = b"full_name=" + b"a" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)

    assert _chunked_post(client, f"/events/{event.slug}/register", body).status_code == 413


def test_a_chunked_registration_within_the_limits_registers(client, db, make_event):
    event = make_event()
    token = csrf_token(client.get(f"/events/{event.slug}/register").get_data(as_text=True))
    body = urlencode({**VALID, "csrf_token": token}).encode()

    response = _chunked_post(client, f"/events/{event.slug}/register", body)

    assert response.status_code == 302 and "/r/" in response.headers["Location"]


def test_a_plain_form_larger_than_any_form_needs_is_refused_even_with_its_length(client, db, make_event, app):
    event = make_event()
    body = b"full_name=" + b"a" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)

    response = client.post(f"/events/{event.slug}/register", data=body,
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
