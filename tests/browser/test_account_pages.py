"""The account pages on a phone and a desktop: sign-in, change password, two-step enrolment and the code prompt
(SCREENSHOT_DIR keeps them for a person to look at)."""
import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.test_journey_in_browser import DESKTOP, PHONE, _arrived, _sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_enrol_then_sign_in_with_a_code(live_server, browser, auth, shoot, viewport, axe_violations):
    organiser = auth.user("organiser")
    page = browser.new_page(viewport=viewport)
    width = viewport["width"]
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", organiser.email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    expect(page.locator("main")).to_contain_text("do not match an account")  # the answer, not the blank form
    shoot(page, f"account-sign-in-error-{width}")
    _sign_in(page, live_server, organiser.email)
    page.click("text=Your account")
    page.fill("#current", PASSWORD)
    page.fill("#password", "password1234")
    page.fill("#confirm", "password1234")
    page.click("text=Change my password")
    assert "on a list of common passwords" in page.inner_text("#password-error")
    shoot(page, f"account-change-password-{width}")
    found = {"auth.change_password (with an error)": axe_violations(page)}
    page.click("text=Manage two-step sign-in")
    _arrived(page, re.compile(r"/auth/two-factor$"))  # axe audits this page, not the one before
    found["auth.two_factor"] = axe_violations(page)
    page.click("text=Set up two-step sign-in")
    secret = "".join(page.inner_text("code.secret").split())
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 100
    shoot(page, f"account-enrol-{width}")
    found["auth.enrol_two_factor"] = axe_violations(page)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("text=Turn two-step sign-in on")
    expect(page.locator(".recovery-codes code")).to_have_count(10)  # all_inner_texts() does not wait for the page
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", code) for code in codes)
    shoot(page, f"account-recovery-codes-{width}")
    page.click("text=Sign out")
    expect(page.locator(".flash")).to_contain_text("You have signed out.")  # before _sign_in's page.goto
    _sign_in(page, live_server, organiser.email)
    assert page.url.endswith("/auth/code")
    page.fill("#code", "123")
    page.click("button[type=submit]")
    assert "That code is not right." in page.inner_text("#code-error")
    shoot(page, f"account-code-prompt-{width}")
    found["auth.code (with an error)"] = axe_violations(page)
    assert not any(found.values()), found
    page.fill("#code", codes[0])
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/manage/$"))
    page.close()


def test_an_admin_resets_a_password_and_the_user_must_change_it(live_server, browser, auth, shoot):
    staff = auth.user("staff")
    admin = auth.user("admin")
    page = browser.new_page(viewport=DESKTOP)
    _sign_in(page, live_server, admin.email)
    page.goto(f"{live_server}/manage/users/{staff.id}")
    shoot(page, "account-admin-user-page")
    page.click("text=Reset the password")
    temporary = page.inner_text("#temporary-password")
    shoot(page, "account-admin-reset")
    page.click("text=Sign out")
    expect(page.locator(".flash")).to_contain_text("You have signed out.")  # before the next page.goto
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", staff.email)
    page.fill("#password", temporary)
    page.click("button[type=submit]")
    _arrived(page, re.compile(r"/auth/password$"))
    assert "An administrator reset your password." in page.inner_text("main")
    shoot(page, "account-forced-change")
    page.goto(f"{live_server}/manage/")
    assert page.url.endswith("/auth/password")  # nothing else until it is changed
    page.fill("#current", temporary)
    page.fill("#password", "monsoon clouds over vientiane")
    page.fill("#confirm", "monsoon clouds over vientiane")
    page.click("text=Change my password")
    expect(page).to_have_url(re.compile(r"/manage/$"))
    page.close()
