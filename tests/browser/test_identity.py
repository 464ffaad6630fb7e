"""Identity in the console: the email verified from the mailbox, a forgotten password reset by
its mail, two-factor sign-in enrolled with a code computed from the shown secret, the sessions
the user sees and ends, and staff sent to enrol before their consoles."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.support import (
    PASSWORD,
    Api,
    Authenticator,
    Browsing,
    Mailbox,
    announced,
    eventually,
    new_email,
)
from tests.browser.test_accessibility import assert_every_control_labelled

pytestmark = pytest.mark.slow

NEW_PASSWORD = "a brand new passphrase"


def path_of(url: str) -> str:
    """The link's path and query: the browser opens it on the stack's own origin."""
    return re.sub(r"^https?://[^/]+", "", url)


def test_signup_mails_a_link_that_verifies_the_email_and_the_reminder_goes(
    person: Callable[[str], Browsing], mailbox: Mailbox
) -> None:
    visitor = person("en")
    page, t = visitor.page, visitor.t
    address = new_email("verify")
    page.goto("/signup")
    visitor.choose_language()
    page.get_by_label(t("signup.email")).fill(address)
    page.get_by_label(t("signup.password")).fill(PASSWORD)
    page.get_by_label(t("signup.full_name")).fill("Ada Verify")
    page.get_by_role("checkbox", name=re.compile(re.escape(t("signup.terms_link")))).check()
    page.get_by_role("button", name=t("signup.submit"), exact=True).click()
    page.get_by_role("button", name=t("signup.confirm.continue")).click()
    visitor.heading("apply.role.title")

    reminder = page.get_by_role("region", name=t("verify.banner.title"))
    expect(reminder).to_contain_text(t("verify.banner.text", email=address))
    # Signup mailed the link a moment ago: another one waits, and the page says how long.
    reminder.get_by_role("button", name=t("verify.resend.button")).click()
    expect(reminder.get_by_role("status")).to_have_text(t.pattern("verify.resend.wait"))
    expect(reminder.get_by_role("button", name=t("verify.resend.button"))).to_be_disabled()
    visitor.screenshots("verify-reminder")

    link = mailbox.wait_for_link(address, "/verify-email")
    page.goto(path_of(link))
    visitor.heading("verify.title")
    expect(page.get_by_role("status")).to_contain_text(t("verify.success.title"))
    visitor.screenshots("verify-email")
    page.get_by_role("link", name=t("verify.continue")).click()
    visitor.heading("apply.role.title")
    expect(page.get_by_role("region", name=t("verify.banner.title"))).to_have_count(0)

    # The link works once.
    page.goto(path_of(link))
    expect(page.get_by_role("alert")).to_contain_text(t("verify.invalid"))


def test_a_forgotten_password_is_reset_from_the_mail_and_only_the_new_one_logs_in(
    api: Api, person: Callable[[str], Browsing], mailbox: Mailbox
) -> None:
    merchant = api.sign_up("Ada Forgetful")
    visitor = person("zh-CN")
    page, t = visitor.page, visitor.t
    page.goto("/login")
    visitor.choose_language()
    page.get_by_role("link", name=t("login.forgot_password")).click()
    visitor.heading("forgot.title")
    visitor.screenshots("forgot-password")

    # The same answer for an email no account has: nothing tells which emails are registered.
    page.get_by_label(t("login.email")).fill(new_email("nobody"))
    page.get_by_role("button", name=t("forgot.submit")).click()
    expect(page.get_by_role("status")).to_contain_text(t("forgot.sent.title"))
    page.get_by_role("button", name=t("forgot.again")).click()
    page.get_by_label(t("login.email")).fill(merchant.email)
    page.get_by_role("button", name=t("forgot.submit")).click()
    expect(page.get_by_role("status")).to_have_text(
        t("forgot.sent.title") + t("forgot.sent.text", email=merchant.email)
    )

    link = mailbox.wait_for_link(merchant.email, "/reset-password")
    page.goto(path_of(link))
    visitor.heading("reset.title")
    page.get_by_label(t("reset.password")).fill("short")
    page.get_by_role("button", name=t("reset.submit")).click()
    expect(page.get_by_label(t("reset.password"))).to_be_focused()
    expect(page.locator("#reset-password-error")).to_have_text(
        t("signup.error.password", min=8, max=128)
    )
    visitor.screenshots("reset-password")
    page.get_by_label(t("reset.password")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("reset.submit")).click()
    expect(page.get_by_role("status")).to_contain_text(t("reset.done.title"))
    page.get_by_role("link", name=t("reset.log_in")).click()

    visitor.heading("login.title")
    page.get_by_label(t("login.email")).fill(merchant.email)
    page.get_by_label(t("login.password")).fill(PASSWORD)
    page.get_by_role("button", name=t("login.submit"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("problem.invalid_credentials"))
    visitor.log_in(merchant.email, NEW_PASSWORD)
    visitor.heading("apply.role.title")

    # The link worked once: opened again, it is refused and offers a new one.
    page.goto(path_of(link))
    page.get_by_label(t("reset.password")).fill("yet another passphrase")
    page.get_by_role("button", name=t("reset.submit")).click()
    expect(page.get_by_role("alert")).to_contain_text(t("problem.link_invalid"))
    expect(page.get_by_role("link", name=t("reset.new_link"))).to_be_visible()


def test_two_factor_enrolled_from_the_shown_secret_then_login_asks_a_code_or_a_recovery_code(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    merchant = api.sign_up("Ada Careful")
    visitor = person("en")
    page, t = visitor.page, visitor.t
    visitor.log_in(merchant.email)
    page.get_by_role("link", name=t("nav.account")).click()
    visitor.heading("security.title")
    visitor.screenshots("account-security")
    page.get_by_role("button", name=t("security.totp.start")).click()

    expect(page.get_by_role("img", name=t("security.totp.qr_alt"))).to_be_visible()
    expect(page.locator("#totp-uri")).to_contain_text("otpauth://totp/")
    shown = page.locator("#totp-secret").inner_text()
    authenticator = Authenticator(shown.replace(" ", ""))  # typed in by hand, as a user would
    visitor.screenshots("two-factor-enrol")
    page.get_by_label(t("mfa.code")).fill("000000")  # (the right one a million times in one)
    page.get_by_role("button", name=t("security.totp.confirm")).click()
    expect(page.locator("#totp-code-error")).not_to_be_empty()  # a wrong code, beside its field
    page.get_by_label(t("mfa.code")).fill(authenticator.code())
    page.get_by_role("button", name=t("security.totp.confirm")).click()

    codes_list = page.get_by_role("list", name=t("security.codes.title"))
    expect(codes_list.get_by_role("listitem")).to_have_count(10)
    expect(page.get_by_role("heading", name=t("security.codes.title"))).to_be_focused()
    recovery_codes = codes_list.get_by_role("listitem").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("button", name=t("security.codes.download")).click()
    saved = download.value.path().read_text(encoding="utf-8")
    assert all(code in saved for code in recovery_codes)
    visitor.screenshots("recovery-codes")
    page.get_by_role("button", name=t("security.codes.done")).click()
    expect(page.get_by_text(t("security.totp.on"), exact=True)).to_be_visible()
    expect(codes_list).to_have_count(0)  # shown once

    visitor.log_out()
    visitor.authenticators[merchant.email] = authenticator  # Browsing.log_in types its codes
    visitor.log_in(merchant.email)
    visitor.heading("apply.role.title")
    del visitor.authenticators[merchant.email]

    visitor.log_out()
    for attempt in ("first", "again"):
        page.get_by_label(t("login.email")).fill(merchant.email)
        page.get_by_label(t("login.password")).fill(PASSWORD)
        page.get_by_role("button", name=t("login.submit"), exact=True).click()
        visitor.heading("mfa.title")
        page.get_by_role("button", name=t("mfa.use_recovery_code")).click()
        page.get_by_label(t("mfa.recovery_code")).fill(recovery_codes[0])
        page.get_by_role("button", name=t("mfa.submit")).click()
        if attempt == "first":
            visitor.heading("apply.role.title")
            visitor.log_out()
    # A recovery code works once: the second time it is refused beside its field.
    expect(page.locator("#mfa-recovery_code-error")).not_to_be_empty()
    expect(page.get_by_role("alert")).to_contain_text(t("problem.invalid_second_factor"))


def test_the_sessions_page_ends_another_browser_which_is_sent_to_log_in(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    merchant = api.sign_up("Ada Two Browsers")
    here, there = person("zh-CN"), person("zh-CN")
    there.log_in(merchant.email)
    here.log_in(merchant.email)
    page, t = here.page, here.t
    page.goto("/account/sessions")
    here.heading("sessions.title")
    rows = page.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows).to_have_count(3)  # the signup's own (an API client), and two browsers
    this_one = rows.filter(has_text=t("sessions.this_one"))
    expect(this_one).to_have_count(1)
    expect(this_one).to_contain_text("127.0.0.1")
    expect(this_one).to_contain_text("Chrome")
    expect(this_one.get_by_role("button", name=t("sessions.revoke"))).to_have_count(0)
    here.screenshots("sessions")

    other = rows.filter(has_not_text=t("sessions.this_one")).filter(has_text="Chrome")
    other.get_by_role("button", name=re.compile(re.escape(t("sessions.revoke")))).click()
    expect(page.get_by_role("status").first).to_contain_text(t.pattern("sessions.revoked"))
    expect(rows).to_have_count(2)
    sent_to_log_in(there)

    # Ending every other session, and changing the password, end the other browser too.
    for how in ("revoke_others", "change_password"):
        there.log_in(merchant.email)
        if how == "revoke_others":
            page.goto("/account/sessions")
            page.get_by_role("button", name=t("sessions.revoke_others")).click()
            expect(page.get_by_text(t("sessions.revoked_others", count=2))).to_be_visible()
        else:
            page.goto("/account/security")
            page.get_by_label(t("security.password.current")).fill(PASSWORD)
            page.get_by_label(t("security.password.new")).fill(NEW_PASSWORD)
            page.get_by_role("button", name=t("security.password.submit")).click()
            expect(page.get_by_text(t("security.password.changed", count=1))).to_be_visible()
        sent_to_log_in(there)
    page.goto("/account/sessions")  # this browser stayed signed in throughout
    expect(rows).to_have_count(1)


def sent_to_log_in(browsing: Browsing) -> None:
    """The ended browser's next API calls fail (within seconds every service refuses its access
    token; its refresh token is dead at once) and it lands on the login page."""
    page, t = browsing.page, browsing.t
    tabs = page.get_by_role("navigation", name=t("account.tabs"))
    if not tabs.count():
        page.get_by_role("link", name=t("nav.account")).click()

    def at_login() -> bool:
        # Each visit of the sessions tab calls GET /v1/sessions with the ended session's token.
        for tab in ("account.sessions", "account.security"):
            if "/login" in page.url:
                return True
            try:
                tabs.get_by_role("link", name=t(tab)).click(timeout=2000)
            except PlaywrightError:
                return "/login" in page.url
            page.wait_for_timeout(300)
        return "/login" in page.url

    eventually(at_login, what="the ended session sent to log in", timeout=15)
    browsing.heading("login.title")


def test_a_reviewer_without_two_factor_enrols_before_the_review_queue(
    api: Api, person: Callable[[str], Browsing], grant_staff_role: Callable[[str, str], None]
) -> None:
    staff = api.sign_up("Rui Reviewer", prefix=f"reviewer-{uuid.uuid4().hex[:4]}")
    grant_staff_role(staff.email, "reviewer")
    desk = person("zh-CN")
    page, t = desk.page, desk.t
    desk.log_in(staff.email)

    desk.heading("security.title")
    expect(page).to_have_url(re.compile(r"/account/security$"))
    expect(page.get_by_role("status").first).to_contain_text(t("security.enrol_required.title"))
    desk.screenshots("enrol-two-factor")
    page.goto("/review")  # the queue waits for two-factor sign-in
    expect(page).to_have_url(re.compile(r"/account/security$"))

    page.get_by_role("button", name=t("security.totp.start")).click()
    authenticator = Authenticator(page.locator("#totp-secret").get_attribute("data-secret") or "")
    page.get_by_label(t("mfa.code")).fill(authenticator.code())
    page.get_by_role("button", name=t("security.totp.confirm")).click()
    page.get_by_role("button", name=t("security.codes.done")).click()
    page.get_by_role("link", name=t("security.staff_continue")).click()
    desk.heading("review.queue.title")


def test_the_identity_pages_label_every_control_and_the_code_step_works_from_the_keyboard(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    merchant = api.sign_up("Ada Keyboard")
    visitor = person("zh-CN")  # the console's default language: nothing to switch first
    page, t = visitor.page, visitor.t
    for path, heading in (
        ("/forgot-password", "forgot.title"),
        ("/reset-password?token=x", "reset.title"),
    ):
        page.goto(path)
        visitor.heading(heading)
        assert_every_control_labelled(page, path)
    visitor.log_in(merchant.email)
    for path, heading in (
        ("/account/sessions", "sessions.title"),
        ("/account/security", "security.title"),
    ):
        page.goto(path)
        visitor.heading(heading)
        assert_every_control_labelled(page, path)
    page.get_by_role("button", name=t("security.totp.start")).click()
    assert_every_control_labelled(page, "the two-factor enrolment")
    visitor.log_out()

    api.enrol_two_factor(merchant.email)
    authenticator = api.authenticators.pop(merchant.email)  # typed here, not by log_in
    page.get_by_label(t("login.email")).fill(merchant.email)
    page.get_by_label(t("login.password")).fill(PASSWORD)
    page.keyboard.press("Enter")
    code = page.get_by_label(t("mfa.code"))
    expect(code).to_be_focused()  # the step starts where the code goes
    assert_every_control_labelled(page, "the code step")
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(code).to_be_focused()
    expect(code).to_have_accessible_description(re.compile(".+"))
    # The hint describes the field before the answer comes: wait for the announcement itself.
    eventually(
        lambda: t("problem.invalid_second_factor") in " ".join(announced(page)),
        what="the refused code announced",
    )
    code.fill(authenticator.code())
    page.keyboard.press("Enter")
    visitor.heading("apply.role.title")
