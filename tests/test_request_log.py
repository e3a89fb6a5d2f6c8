"""Every response carries a request id; JSON log lines carry it too, and ProxyFix trusts only the hops set."""
import json
import logging

from config import TestingConfig
from events_app import create_app
from events_app.request_log import JsonFormatter, RequestIdFilter


def test_a_response_returns_nginx_s_request_id_or_a_new_one(client):
    given = client.get("/healthz", headers={"X-Request-ID": "0f3c2a9d8e7b6a5f4e3d2c1b0a998877"})
    made = client.get("/healthz")
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert given.headers["X-Request-ID"] == "0f3c2a9d8e7b6a5f4e3d2c1b0a998877"
    assert len(made.headers["X-Request-ID"]) == 32
    assert len(hostile.headers["X-Request-ID"]) == 32, "an id that is not a plain token is replaced"


def test_a_json_log_line_names_the_request_it_belongs_to(app):
    record = logging.LogRecord("events_app.mail", logging.WARNING, __file__, 1, "outbox %s will be retried", (7,),
                               None)
    with app.test_request_context("/", headers={"X-Request-ID": "req-1234567890"}):
        app.preprocess_request()
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))

    assert line["request_id"] == "req-1234567890"
    assert line["message"] == "outbox 7 will be retried" and line["level"] == "WARNING"


def test_behind_one_proxy_the_client_address_and_scheme_come_from_its_headers():
    class BehindNginx(TestingConfig):
        PROXY_FIX = 1

    app = create_app(BehindNginx)

    @app.get("/whoami")
    def whoami():
        from flask import request

        return {"addr": request.remote_addr, "secure": request.is_secure}

    headers = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https"}
    answer = app.test_client().get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()

    assert answer == {"addr": "198.51.100.7", "secure": True}, "only the last hop, the one nginx added, is trusted"
