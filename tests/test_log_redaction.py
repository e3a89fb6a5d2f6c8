"""Private links never reach the access log."""
import logging

from events_app.log_redaction import redact


def test_redact_removes_tokens_from_request_lines():
    line = '"GET /r/S9VFOk3ySN6T7rnFHqYYxj24rEY3lDYYsZwmaNV089E/confirmation HTTP/1.1" 200 -'
    assert redact(line) == '"GET /r/[redacted]/confirmation HTTP/1.1" 200 -'
    assert redact("/events/x/register?invitation=abcdefghijklmnopqrstuvwxyz") == (
        "/events/x/register?invitation=[redacted]")


def test_the_werkzeug_logger_is_filtered(app, caplog):
    token = "S9VFOk3ySN6T7rnFHqYYxj24rEY3lDYYsZwmaNV089E"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('"%s %s HTTP/1.1" %s', "GET", f"/r/{token}", 200)
    assert token not in caplog.text
    assert "/r/[redacted]" in caplog.text
