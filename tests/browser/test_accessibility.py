"""axe-core finds no WCAG 2.1 A/AA violation on every page: the public ones in four languages, the desk, the workspace.

The workspace's pages are walked from app.url_map (like tests/manage/test_access_matrix.py): a GET page
added under /manage, /checkin or /auth without an entry in WORKSPACE_PAGES (or a reason in EXEMPT) fails.
"""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from events_app.auth import tokens
from events_app.mail import outbox
from events_app.recommendations import services as recommendations
from tests.browser.test_journey_in_browser import _arrived, _sign_in
from tests.manage.test_access_matrix import events  # noqa: F401 - two events with something on every page

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: no sideways scrolling at 320 CSS px
PUBLIC_LOCALES = ["en", "km", "my", "th"]
WORKSPACE_PREFIXES = ("/manage", "/checkin", "/auth")
# Workspace GET rules that answer with a file, not a page: nothing for axe to read.
EXEMPT = {
    "documents.attendees_pdf": "a PDF download",
    "documents.alignment_pdf": "a PDF download",
    "documents.certificates_pdf": "a PDF download",
    "documents.signin_pdf": "a PDF download",
    "documents.visa_letters_pdf": "a PDF download",
    "recommendations.download": "a PDF, Word or Markdown download",
    "manage.dashboard_csv": "a chart's figures as CSV",
    "manage.job_file": "a finished job's file (CSV or XLSX)",
    "manage.event_logo": "the event's logo image",
    "attendance.codes_json": "the offline desk's list of the day's codes (JSON)",
    "attendance.counts_json": "the live counts (JSON)",
    "attendance.report_file": "the attendance report as CSV or XLSX",
    "attendance.service_worker": "the offline desk's service worker (JavaScript)",
    "mail.outbox_message_html": "an email's own HTML (inline styles for mail clients), framed and sandboxed in "
                                "the audited message page",
}
# Audited by the account journey (tests/browser/test_account_pages.py): they need a signed-in user's own
# steps (a wrong password, enrolment, the code prompt), not one page load.
AUDITED_ELSEWHERE = {"auth.change_password", "auth.two_factor", "auth.enrol_two_factor", "auth.code",
                     # the desk's pages, at two widths, after a scan (tests/browser/test_desk_in_browser.py)
                     "attendance.walkin", "attendance.report", "attendance.sign_in_sheet", "attendance.sessions_page"}


@pytest.fixture()
def event(make_event, db):
    """An open event whose delegates may endorse an adopted recommendation from their private link."""
    event = make_event(title="Mekong Consultation on Labour Migration", city="Vientiane", country="LA", capacity=40)
    recommendations.save_settings(event, theme_names=["Health"], addressee_names=["ASEAN"], preamble="",
                                  endorsement_open=True)
    adopted = recommendations.draft(event, by=None, theme_id=recommendations.themes(event)[0].id,
                                    addressee_ids=[recommendations.addressees(event)[0].id],
                                    text="Ensure access to health care.")
    recommendations.set_status(adopted, "adopted", by=None)
    db.session.commit()
    return event


def _open_sections(page):
    """Open the folded sections, so the fields inside are audited too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def _audit(page, axe_violations, url: str, status: int = 200) -> list[str]:
    response = page.goto(url)
    assert urlsplit(page.url).path == urlsplit(url).path, f"{url} led to {page.url}"  # no sign-in page instead
    assert response.status == status, url
    _open_sections(page)
    return axe_violations(page)


def _failures(found: dict) -> str:
    return "\n".join(f"{where}: {violation}" for where, violations in found.items() for violation in violations)


@pytest.mark.parametrize("locale", PUBLIC_LOCALES)
def test_every_public_page_has_no_violations(live_server, browser, axe_violations, event, make_registration,
                                             locale, shoot):
    registration = make_registration(event, locale=locale, full_name="ສົມພອນ ວົງສາ", name_latin="Somphone Vongsa")
    base, slug, token = live_server, event.slug, registration.token
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/?lang={locale}")
    pages = {
        "home": "/", "event": f"/events/{slug}", "form": f"/events/{slug}/register",
        "lost link": f"/events/{slug}/lost-link", "link sent": f"/events/{slug}/registered",
        "privacy notice": f"/events/{slug}/privacy", "private page": f"/r/{token}",
        "confirmation": f"/r/{token}/confirmation", "edit": f"/r/{token}/edit", "cancel": f"/r/{token}/cancel",
        "not found": "/events/no-such-event", "recommendations to endorse": f"/r/{token}/recommendations",
    }
    found = {name: _audit(page, axe_violations, base + path, 404 if name == "not found" else 200)
             for name, path in pages.items()}
    assert page.get_attribute("html", "lang") == locale.replace("_", "-")

    page.goto(f"{base}/events/{slug}/register")
    page.fill("#full_name", "ສົມພອນ ວົງສາ")
    _open_sections(page)
    page.check("#needs_visa_letter")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("#name_latin")).to_have_attribute("aria-invalid", "true")  # the answer, not the blank form
    page.wait_for_load_state("load")
    _open_sections(page)
    shoot(page, f"register-errors-{locale}")
    found["form with errors"] = axe_violations(page)
    assert not any(found.values()), _failures(found)


def test_the_sign_in_page_has_no_violations(live_server, browser, axe_violations):
    page = browser.new_page(viewport=PHONE)
    assert _audit(page, axe_violations, f"{live_server}/auth/login") == []


@pytest.fixture()
def workspace(db, auth, events):  # noqa: F811 - the fixture imported above
    """Event A of the access matrix (a delegate, quota, question, recommendation, finished job), an email, a user."""
    admin = auth.user("admin")
    made = events["a"]
    event = made["event"]
    message = outbox.queue("approved", recipient="sok@example.org", subject="Your place is confirmed",
                           body_text="Dear Sok,\n", body_html="<p>Dear Sok,</p>", event_id=event.id)
    staff = auth.user("staff")
    set_password = tokens.issue(staff)
    db.session.commit()
    registration_id, job_id = made["registration_id"], made["job_id"]
    question_id, recommendation_id = made["question_id"], made["rec_id"]
    slug = event.slug
    pages = {
        "manage.index": "/manage/", "manage.audit_log": "/manage/audit",
        "manage.delegates": f"/manage/events/{slug}/",
        "manage.delegates (filtered)": f"/manage/events/{slug}/?status=pending&country=TH&needs_visa_letter=no"
                                       "&sort=-registered",
        "manage.event_audit": f"/manage/events/{slug}/audit",
        "documents.badges_page": f"/manage/events/{slug}/badges",
        "manage.copy_event_page": f"/manage/events/{slug}/copy",
        "manage.event_dashboard": f"/manage/events/{slug}/dashboard",
        "manage.delegate": f"/manage/events/{slug}/delegates/{registration_id}",
        "manage.edit_delegate": f"/manage/events/{slug}/delegates/{registration_id}/edit",
        "documents.documents_page": f"/manage/events/{slug}/documents",
        "manage.duplicates": f"/manage/events/{slug}/duplicates",
        "manage.export_page": f"/manage/events/{slug}/export",
        "manage.import_page": f"/manage/events/{slug}/import",
        "manage.invitation_list": f"/manage/events/{slug}/invitations",
        "manage.job_page": f"/manage/events/{slug}/jobs/{job_id}",
        "manage.questions": f"/manage/events/{slug}/questions",
        "manage.edit_question": f"/manage/events/{slug}/questions/{question_id}",
        "manage.quotas": f"/manage/events/{slug}/quotas",
        "recommendations.index": f"/manage/events/{slug}/recommendations",
        "recommendations.edit": f"/manage/events/{slug}/recommendations/{recommendation_id}",
        "recommendations.split": f"/manage/events/{slug}/recommendations/{recommendation_id}/split",
        "recommendations.endorsement_counts": f"/manage/events/{slug}/recommendations/endorsements",
        "recommendations.new": f"/manage/events/{slug}/recommendations/new",
        "recommendations.settings": f"/manage/events/{slug}/recommendations/settings",
        "manage.event_settings": f"/manage/events/{slug}/settings",
        "manage.new_event": "/manage/events/new",
        "mail.outbox_list": "/manage/mail/",
        "mail.outbox_message": f"/manage/mail/{message.id}",
        "mail.bulk_message": f"/manage/mail/events/{slug}/message",
        "manage.user_list": "/manage/users",
        "manage.user_page": f"/manage/users/{staff.id}",
        "attendance.desk": f"/checkin/{slug}",
        "api_pages.token_list": "/manage/api/tokens",
        "api_pages.reference": "/manage/api",
        "attendance.desk (search)": f"/checkin/{slug}?q=Delegate",
    }
    return {"admin": admin, "event": event, "slug": slug, "pages": pages,
            "set_password": f"/auth/set-password/{set_password}"}


def _endpoint(name: str) -> str:
    return name.split(" (")[0]


def test_every_workspace_page_is_audited(app, workspace):
    """A new GET page under /manage, /checkin or /auth needs an entry here (or a reason to be exempt)."""
    rules = {rule.endpoint for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and rule.rule.startswith(WORKSPACE_PREFIXES)}
    audited = {_endpoint(name) for name in workspace["pages"]} | {"manage.import_preview", "auth.login",
                                                                  "auth.set_password"} | AUDITED_ELSEWHERE
    assert rules - audited - set(EXEMPT) == set(), "workspace pages without an accessibility test"
    assert audited | set(EXEMPT) <= rules, "entries for pages that no longer exist"


def test_every_workspace_page_has_no_violations(live_server, browser, axe_violations, workspace, shoot):
    base = live_server
    page = browser.new_page(viewport=DESKTOP)
    found = {"auth.set_password": _audit(page, axe_violations, base + workspace["set_password"])}
    _sign_in(page, base, workspace["admin"].email)
    for name, path in workspace["pages"].items():
        found[name] = _audit(page, axe_violations, base + path)
    # The import's preview: upload a CSV with one good row and one with errors, as an organiser does.
    page.goto(f"{base}/manage/events/{workspace['slug']}/import")
    page.set_input_files("input[type=file]", files=[{
        "name": "delegates.csv", "mimeType": "text/csv",
        "buffer": (b"full_name,email,organisation,stakeholder_group,country\n"
                   b"Dara Sok,dara@example.org,MMN,ngo,KH\n"
                   b"No Email,,MMN,aliens,ZZ\n")}])
    page.click("main form button[type=submit]")
    _arrived(page, re.compile(r"/import/"))
    assert "No Email" in page.inner_text("main")
    found["manage.import_preview"] = axe_violations(page)
    shoot(page, "a11y-import-preview")
    assert not any(found.values()), _failures(found)


def test_the_desk_on_a_phone_has_no_violations(live_server, browser, axe_violations, workspace):
    page = browser.new_page(viewport=PHONE)
    _sign_in(page, live_server, workspace["admin"].email)
    assert _audit(page, axe_violations, f"{live_server}/checkin/{workspace['slug']}?q=Delegate") == []


# WCAG 1.4.10 reflow: 320 CSS px wide, and a 1280 px window at 200% zoom (640 CSS px, two device pixels each).
REFLOW = {"320px": ({"width": 320, "height": 640}, 1), "zoom-200": ({"width": 640, "height": 450}, 2)}
# Visible elements reaching past either side of the window, and boxes that cut their own content off (the
# skip link, off screen until focused, and text for screen readers only are hidden on purpose).
OUTSIDE = """() => [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect(), style = getComputedStyle(e);
    if (!r.width || !r.height || style.visibility === 'hidden' || e.closest('.skip, .visually-hidden')) return false;
    const clipped = ['hidden', 'clip'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
    return r.right > innerWidth + 1 || r.left < -1 || clipped;
}).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"""


@pytest.mark.parametrize("size", REFLOW)
def test_public_pages_and_the_desk_reflow_without_sideways_scrolling(live_server, browser, workspace,
                                                                     make_registration, size, shoot):
    viewport, scale = REFLOW[size]
    slug = workspace["slug"]
    registration = make_registration(workspace["event"], locale="my", full_name="ခင်မာဦး", name_latin="Khin Mar Oo")
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    paths = ["/", f"/events/{slug}", f"/events/{slug}/register", f"/events/{slug}/lost-link",
             f"/events/{slug}/privacy", f"/r/{registration.token}", f"/r/{registration.token}/edit",
             f"/r/{registration.token}/cancel"]
    found = {}
    for locale in ("en", "my"):
        page.goto(f"{live_server}/?lang={locale}")
        for number, path in enumerate(paths):
            page.goto(live_server + path)
            _open_sections(page)
            found[f"{locale} {path}"] = _overflow(page)
            shoot(page, f"reflow-{size}-{locale}-{number}")
    _sign_in(page, live_server, workspace["admin"].email)
    for path in (f"/checkin/{slug}", f"/checkin/{slug}?q=Delegate"):
        page.goto(live_server + path)
        found[path] = _overflow(page)
        shoot(page, f"reflow-{size}-desk")
    context.close()
    assert not any(found.values()), _failures(found)


def _overflow(page) -> list[str]:
    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return ([f"scrolls sideways by {sideways} px"] if sideways > 0 else []) + page.evaluate(OUTSIDE)
