"""A live server on 127.0.0.1, Debian's headless Chromium driven by Playwright, and axe-core to audit pages."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from events_app.database import sqlite_read_transactions

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to keep screenshots for review
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# expect() retries its check until this (Playwright's default, 5 s, is short on a slow, loaded machine); the
# same 30 s as Playwright's actions and waits.
expect.set_options(timeout=30_000)


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


@pytest.fixture()
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on a Playwright page; return its violations, briefly described."""
    if not AXE.exists():
        pytest.fail(f"axe-core is needed for the accessibility tests: run `make install-dev` "
                    f"(npm ci; Debian's nodejs and npm) — {AXE} is missing")

    def audit(page) -> list[str]:
        # Evaluated, not added as a <script>: the Content-Security-Policy refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
        return [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in result["violations"]
        ]

    return audit
