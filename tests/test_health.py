"""/healthz and /readyz: what a load balancer or systemd asks before sending traffic."""
import pytest

from config import TestingConfig
from events_app import create_app


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_when_the_database_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok"}}


@pytest.fixture()
def rate_limit_storage(app):
    saved = app.config["RATELIMIT_STORAGE_URI"]
    yield lambda uri: app.config.update(RATELIMIT_STORAGE_URI=uri)
    app.config["RATELIMIT_STORAGE_URI"] = saved


def test_readyz_checks_redis_when_the_rate_limits_live_there(client, rate_limit_storage):
    rate_limit_storage("redis://127.0.0.1:6379/0")  # Redis runs here and in CI

    assert client.get("/readyz").get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_says_which_dependency_is_down_and_nothing_more(client, rate_limit_storage):
    rate_limit_storage("redis://:s3cret@127.0.0.1:1/0")  # nobody listens on port 1

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "unavailable"}}
    assert b"s3cret" not in response.data and b"127.0.0.1" not in response.data


def test_readyz_is_unavailable_when_the_database_cannot_be_reached(tmp_path):
    class Unreachable(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/no/such/directory/db.sqlite"

    response = create_app(Unreachable).test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "unavailable"}
