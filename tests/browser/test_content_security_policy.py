"""The strict Content-Security-Policy breaks nothing: Chromium loads the main public and workspace pages of the demo
and reports no violation (an inline style or script anywhere would be refused and reported)."""
import re
import time

import pytest
from sqlalchemy import select

from events_app.demo import DEMO_SLUG, load_demo
from events_app.mail.models import OutboxMessage
from events_app.recommendations.models import Recommendation
from events_app.registration.models import Registration
from tests.browser.test_journey_in_browser import DESKTOP, _arrived, _sign_in

pytestmark = pytest.mark.browser
# Reported to the page by the browser for every refused inline style, script, frame or image.
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile));"""


def _visit(page, url: str, console: list[str]) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    found = page.evaluate("window.__violations") + [text for text in console if "Content Security Policy" in text]
    console.clear()
    return [f"{url}: {violation}" for violation in found]


def test_public_and_workspace_pages_raise_no_csp_violation(live_server, browser, db, auth, shoot):
    load_demo()
    db.session.commit()
    registration = db.session.scalars(select(Registration).join(Registration.event)
                                      .order_by(Registration.id)).first()
    past = db.session.scalars(select(Registration).where(Registration.event_id != registration.event_id)).first()
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()  # written or not yet
    admin = auth.user("admin")
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda entry: console.append(entry.text))
    violations = []
    public = ["/", f"/events/{DEMO_SLUG}", f"/events/{DEMO_SLUG}/register", f"/events/{DEMO_SLUG}/privacy",
              f"/r/{registration.token}", f"/r/{registration.token}/edit", f"/r/{past.token}",
              "/auth/login"]
    for path in public:
        violations += _visit(page, live_server + path, console)
    _sign_in(page, live_server, admin.email)
    workspace = ["/manage/", f"/manage/events/{DEMO_SLUG}/", f"/manage/events/{DEMO_SLUG}/dashboard",
                 f"/manage/events/{DEMO_SLUG}/delegates/{registration.id}", f"/manage/events/{DEMO_SLUG}/settings",
                 f"/manage/events/{DEMO_SLUG}/badges", f"/manage/events/{DEMO_SLUG}/documents",
                 f"/manage/events/{past.event.slug}/recommendations", f"/manage/events/{past.event.slug}/dashboard",
                 "/manage/mail/", "/manage/users", f"/manage/users/{admin.id}", f"/checkin/{DEMO_SLUG}",
                 "/auth/password", "/auth/two-factor"]
    recommendation = db.session.scalars(select(Recommendation).where(Recommendation.event_id == past.event_id)).first()
    workspace.append(f"/manage/events/{past.event.slug}/recommendations/{recommendation.id}")
    if message is not None:
        workspace.append(f"/manage/mail/{message.id}")
    for path in workspace:
        violations += _visit(page, live_server + path, console)
    page.goto(f"{live_server}/manage/events/{DEMO_SLUG}/dashboard")
    shoot(page, "csp-dashboard-charts")
    page.goto(f"{live_server}/auth/two-factor")
    page.click("text=Set up two-step sign-in")  # the enrolment page with its QR code
    _arrived(page, re.compile(r"/auth/two-factor/enrol$"))  # its own load, not the last page's
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0  # the data: image was allowed
    violations += _visit(page, live_server + "/auth/two-factor/enrol", console)
    assert violations == []
    page.close()


def test_the_policy_is_really_enforced(live_server, browser, db):
    """The listener above would hear a violation: an inline style added to a page is refused and reported."""
    page = browser.new_page()
    page.add_init_script(LISTEN)
    page.goto(f"{live_server}/auth/login")
    page.evaluate("""() => { const s = document.createElement('style');
        s.textContent = 'body { background: rgb(255, 0, 0) }'; document.head.appendChild(s); }""")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    assert any("style-src" in violation for violation in _reported(page)), "the listener heard no violation"


def _reported(page, seconds: float = 30) -> list[str]:
    """The listener's violations once there is one, or after `seconds`: the report is an event queued after the
    refusal, late on a loaded machine. (Not wait_for_function: its polling needs eval, which the policy refuses.)"""
    deadline = time.monotonic() + seconds
    while not (found := page.evaluate("window.__violations")) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return found
    page.close()
