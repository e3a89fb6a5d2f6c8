"""Development mail: links follow the address being served, and a local SMTP sink keeps each message as a file."""
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from events_app.mail.links import base_url
from events_app.mail.sender import deliver_due
from events_app.mail.sink import start_sink
from tests.mail.conftest import free_port, poll_until

ROOT = Path(__file__).resolve().parent.parent.parent


def _development_setting(env: dict, expression: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BASE_URL", "MAIL_"))}
    return subprocess.run([sys.executable, "-c", f"import config; print(config.DevelopmentConfig.{expression})"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True).stdout.strip()


def test_development_mail_goes_to_the_local_sink_unless_set():
    assert _development_setting({}, "MAIL_SERVER") == "127.0.0.1"
    assert _development_setting({}, "MAIL_PORT") == "8025"
    assert _development_setting({"MAIL_SERVER": "smtp.example.org"}, "MAIL_SERVER") == "smtp.example.org"


def test_development_links_follow_the_request_only_without_base_url():
    assert _development_setting({}, "BASE_URL_FROM_REQUEST") == "True"
    assert _development_setting({"BASE_URL": "https://events.example.org"}, "BASE_URL_FROM_REQUEST") == "False"


def test_links_use_the_requests_address_in_development_and_base_url_elsewhere(app):
    app.config["BASE_URL_FROM_REQUEST"] = True
    try:
        with app.test_request_context("/manage/", base_url="http://127.0.0.1:5101"):
            assert base_url() == "http://127.0.0.1:5101"
        with app.app_context():  # the mail worker and `flask mail send`: no request
            assert base_url() == app.config["BASE_URL"]
    finally:
        app.config["BASE_URL_FROM_REQUEST"] = False
    with app.test_request_context("/manage/", base_url="http://127.0.0.1:5101"):
        assert base_url() == app.config["BASE_URL"]


def test_the_sink_keeps_each_message_the_app_sends_as_an_eml_file(db, mail_settings, symposium, register, tmp_path):
    sink = start_sink(tmp_path / "mail", port=mail_settings["MAIL_PORT"])
    try:
        registration = register(symposium, full_name="សុខ ដារ៉ា", email="dara@example.org")
        report = deliver_due()
    finally:
        sink.stop()
    assert report.sent and not report.failed
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == len(report.sent)
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "dara@example.org"
    assert "Regional Symposium on Labour Migration" in message["Subject"]
    assert registration.token in message.get_body(preferencelist=("plain",)).get_content()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_make_runs_server_starts_the_sink_and_stops_it_with_the_server(tmp_path):
    web, smtp = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "TEST_"))}
    env.update(APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite'}", MAIL_PORT=str(smtp))
    server = subprocess.Popen([sys.executable, "scripts/serve_dev.py", "--port", str(web)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert poll_until(lambda: _listening(web), timeout=20), "the server did not start"
        assert _listening(smtp), "the SMTP sink is not listening"
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/favicon.ico", timeout=5) as response:
            assert response.status == 200
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=20)[0]
    assert f"SMTP sink on 127.0.0.1:{smtp}" in output and "instance/mail/" in output
    time.sleep(0.2)
    assert not _listening(smtp), "the sink outlived the server"
