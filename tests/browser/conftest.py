"""A live server on 127.0.0.1 and Debian's headless Chromium driven by Playwright."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from events_app.database import sqlite_read_transactions

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to keep screenshots for review


@pytest.fixture()
def live_server(app, db):
    """The app served from a thread; the test's own reads must not hold SQLite's write lock."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with sqlite_read_transactions():
        yield f"http://127.0.0.1:{server.server_port}"
        db.session.rollback()
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is needed for the browser tests: install Debian's chromium ({CHROMIUM} missing)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture()
def shoot():
    """Save a screenshot when SCREENSHOT_DIR is set (for a person to look at)."""

    def save(page, name: str):
        if SCREENSHOTS:
            os.makedirs(SCREENSHOTS, exist_ok=True)
            page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)

    return save
