"""Accessible forms: every control labelled, the keyboard moving through them in order with a
visible focus, and errors announced where they appear."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import ADMIN, PASSWORD, REVIEWER, Api, Browsing, announced, new_email

pytestmark = pytest.mark.slow

CONTROL_ROLES = "textbox|searchbox|checkbox|radio|combobox|listbox|spinbutton|slider|switch|button"
CONTROL = re.compile(rf'^\s*- ({CONTROL_ROLES})(?: "(.*)")?(?:\s*\[.*\])?:?$')

# The form fields of the page that have no <label>, aria-label or aria-labelledby naming them.
UNLABELLED_FIELDS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => !el.closest('dialog:not([open])'))
  .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))
"""

# How the focused element is drawn: focus must be visible, as an outline or a ring.
FOCUS_STYLE = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    ring: style.boxShadow !== 'none',
  };
}
"""


def unnamed_controls(page: Page) -> list[str]:
    """The controls of the page (as the accessibility tree has them) with no accessible name."""
    expect(page.locator("main")).to_be_visible()
    unnamed = []
    for line in page.locator("body").aria_snapshot().splitlines():
        match = CONTROL.match(line)
        if match and not (match.group(2) or "").strip():
            unnamed.append(line.strip())
    return unnamed


def assert_every_control_labelled(page: Page, what: str) -> None:
    assert unnamed_controls(page) == [], f"controls without a name on {what}"
    assert page.evaluate(UNLABELLED_FIELDS) == [], f"fields without a label on {what}"


def test_every_form_control_of_the_main_pages_has_a_label(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    visitor = person("zh-CN")
    for path in ("/signup", "/login"):
        visitor.page.goto(path)
        assert_every_control_labelled(visitor.page, path)

    applicant = api.sign_up()
    api.save_draft(applicant, role="technical_merchant", step="business_details")
    merchant = person("en")
    merchant.log_in(applicant.email)
    merchant.heading("apply.details.title")
    assert_every_control_labelled(merchant.page, "the business details")

    owner = api.owner_of_a_workspace(f"Labelled Co {uuid.uuid4().hex[:6]}")
    at_owner = person("zh-CN")
    at_owner.log_in(owner.email)
    assert_every_control_labelled(at_owner.page, "the mini programs")
    at_owner.page.goto(f"/console/w/{owner.workspace_id}/mini-programs/new/alipay_cn")
    at_owner.heading("mp.form.create_title")
    assert_every_control_labelled(at_owner.page, "the create form")
    at_owner.go_to("nav.members")
    expect(at_owner.page.get_by_role("row").filter(has_text=owner.email)).to_be_visible()
    assert_every_control_labelled(at_owner.page, "the members")

    company = f"Labelled Applicant {uuid.uuid4().hex[:6]}"
    api.apply(api.sign_up(), company)
    desk = person("en")
    desk.log_in(*REVIEWER)
    desk.page.get_by_role("link", name=desk.t("review.open_named", company=company)).click()
    expect(desk.page.get_by_role("heading", level=1)).to_have_text(company)
    assert_every_control_labelled(desk.page, "the review of an application")

    admin = person("zh-CN")
    admin.log_in(*ADMIN)
    admin.heading("notifications.title")
    assert_every_control_labelled(admin.page, "the delivery log")


def tab_to(page: Page, control: Locator) -> None:
    """Press Tab once: the focus lands on `control`, drawn so that it shows."""
    page.keyboard.press("Tab")
    expect(control).to_be_focused()
    style = page.evaluate(FOCUS_STYLE)
    assert style["focusVisible"], "keyboard focus matches :focus-visible"
    assert style["outline"] or style["ring"], f"a visible focus indicator: {style}"


def test_tab_moves_through_the_signup_form_in_order_with_a_visible_focus(
    person: Callable[[str], Browsing],
) -> None:
    visitor = person("en")
    page, t = visitor.page, visitor.t
    page.goto("/signup")
    visitor.choose_language()
    page.reload()  # a fresh page, focus at its start, in English
    expect(page.get_by_role("heading", level=1)).to_have_text(t("signup.title"))

    tab_to(page, page.get_by_role("link", name=t("common.skip_to_content")))
    tab_to(page, page.get_by_role("link", name=t("app.name")))
    tab_to(page, page.get_by_role("button", name="简体中文"))
    tab_to(page, page.get_by_role("button", name="English"))
    tab_to(page, page.get_by_role("textbox", name=t("signup.email")))
    page.keyboard.type(new_email())
    tab_to(page, page.get_by_role("textbox", name=t("signup.password")))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_role("textbox", name=t("signup.full_name")))
    page.keyboard.type("Grace Hopper")
    terms_box = page.get_by_role("checkbox")
    tab_to(page, terms_box)
    page.keyboard.press("Space")
    expect(terms_box).to_be_checked()

    # The terms open from the keyboard, Escape closes them, focus comes back.
    terms_link = page.get_by_role("button", name=t("signup.terms_link"))
    tab_to(page, terms_link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name=t("terms.title"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name=t("terms.title"))).to_be_hidden()
    expect(terms_link).to_be_focused()

    tab_to(page, page.get_by_role("button", name=t("signup.submit"), exact=True))
    visitor.screenshot("signup-keyboard-focus")
    page.keyboard.press("Enter")
    continue_now = page.get_by_role("button", name=t("signup.confirm.continue"))
    expect(continue_now).to_be_focused()
    page.keyboard.press("Enter")  # no need to wait for the countdown
    visitor.heading("apply.role.title")


def test_errors_are_announced_beside_their_fields_and_in_an_alert(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    taken = api.sign_up()
    visitor = person("zh-CN")
    page, t = visitor.page, visitor.t
    page.goto("/signup")
    email = page.get_by_role("textbox", name=t("signup.email"))
    password = page.get_by_role("textbox", name=t("signup.password"))

    # Nothing filled in: each field says what it needs, and focus goes to the first.
    page.get_by_role("button", name=t("signup.submit"), exact=True).click()
    for control, message in (
        (email, t("signup.error.email")),
        (password, t("signup.error.password", min=8, max=128)),
        (page.get_by_role("textbox", name=t("signup.full_name")), t("signup.error.full_name")),
        (page.get_by_role("checkbox"), t("signup.error.accept_terms")),
    ):
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_accessible_description(re.compile(re.escape(message)))
        assert message in announced(page), f"{message!r} is announced"
    expect(email).to_be_focused()
    visitor.screenshot("signup-errors")

    # The server's refusal: in the alert, and beside the field it is about.
    email.fill(taken.email)
    password.fill(PASSWORD)
    page.get_by_role("textbox", name=t("signup.full_name")).fill("Ada Again")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=t("signup.submit"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("problem.email_taken"))
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    assert any(t("problem.email_taken") in text for text in announced(page))

    # A wrong password at login: the alert says so, and is announced.
    page.goto("/login")
    page.get_by_role("textbox", name=t("login.email")).fill(taken.email)
    page.get_by_role("textbox", name=t("login.password")).fill("not the password at all")
    page.get_by_role("button", name=t("login.submit"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("problem.invalid_credentials"))
    assert any(t("problem.invalid_credentials") in text for text in announced(page))
