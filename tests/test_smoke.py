"""The app starts, the health check answers, unknown pages are friendly 404s."""


def test_readyz_reports_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["database"] == "ok"


def test_unknown_event_is_a_404_page(client):
    response = client.get("/events/no-such-event")
    assert response.status_code == 404
    assert "could not find that page" in response.get_data(as_text=True)


def test_unknown_private_token_is_a_404_page(client):
    response = client.get("/r/" + "x" * 43)
    assert response.status_code == 404


def test_an_oversized_upload_is_a_friendly_413(app, client, make_event):
    event = make_event()
    too_large = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(f"/events/{event.slug}/register", data={"full_name": "x" * too_large})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_favicon_is_a_cached_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header: a real icon, not a page
    assert response.cache_control.public and response.cache_control.max_age >= 24 * 3600
