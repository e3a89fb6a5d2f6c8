"""The app starts, the health check answers, unknown pages are friendly 404s."""


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_unknown_event_is_a_404_page(client):
    response = client.get("/events/no-such-event")
    assert response.status_code == 404
    assert "could not find that page" in response.get_data(as_text=True)


def test_unknown_private_token_is_a_404_page(client):
    response = client.get("/r/" + "x" * 43)
    assert response.status_code == 404
