"""Every response carries the security headers; private pages and documents are never stored; HSTS over HTTPS in
production only; no template or chart carries inline style or script the strict policy would block."""
import re
from pathlib import Path

import pytest

from config import ProductionConfig, TestingConfig
from events_app import create_app
from events_app.manage import charts

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def assert_secure(response):
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers  # not production, not HTTPS


def test_public_pages_carry_the_headers_and_may_be_cached(client, make_event):
    event = make_event()
    for url in ("/", f"/events/{event.slug}", f"/events/{event.slug}/register", "/auth/login", "/nowhere",
                "/static/css/app.css"):
        response = client.get(url)
        assert_secure(response)
    assert "no-store" not in client.get(f"/events/{event.slug}").headers.get("Cache-Control", "")


def test_workspace_pages_private_pages_and_documents_are_never_stored(client, auth, make_event,
                                                                     make_registration):
    event = make_event()
    registration = make_registration(event)
    private = [f"/r/{registration.token}", f"/r/{registration.token}/edit", f"/r/{registration.token}/ticket.pdf",
               "/auth/login"]
    for url in private:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure(response)
        assert response.headers["Cache-Control"] == "no-store", url
    assert client.get(f"/r/{registration.token}/ticket.pdf").mimetype == "application/pdf"  # a personal document
    auth.login("organiser")
    for url in ("/manage/", f"/manage/events/{event.slug}/", f"/manage/events/{event.slug}/dashboard",
                f"/manage/events/{event.slug}/delegates/{registration.id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure(response)
        assert response.headers["Cache-Control"] == "no-store", url


@pytest.fixture()
def production_app(monkeypatch, app):
    monkeypatch.setenv("SECRET_KEY", "production-test-key")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])

    class Config(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    return create_app(Config)


def test_hsts_only_in_production_over_https(db, production_app):
    client = production_app.test_client()
    assert "Strict-Transport-Security" not in client.get("/healthz").headers  # plain HTTP
    secure = client.get("/healthz", base_url="https://events.test")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    development = create_app(TestingConfig).test_client()
    assert "Strict-Transport-Security" not in development.get("/healthz", base_url="https://events.test").headers


def test_no_page_template_has_inline_style_or_script():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).parts[0] == "mail" and "manage" not in path.parts:
            continue  # emails: mail clients need inline styles, and no browser policy applies to them
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=|javascript:", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_charts_draw_with_attributes_not_inline_style():
    svg = str(charts.bar_chart("c", "Places", "Two bars", [charts.Bar("A", 3, 5), charts.Bar("B", 1)]))
    assert "style" not in svg
    assert 'class="chart"' in svg and 'class="bar" stroke="#1b1f24"' in svg
    assert 'class="target" fill="none"' in svg and 'class="value" paint-order="stroke"' in svg
