"""Signing up: the Terms of Service one click away, the five-second confirmation, and the
language a visitor chose."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.support import LANGUAGE_NAMES, LANGUAGES, PASSWORD, Browsing, new_email

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_with_the_terms_one_click_away_counts_down_and_lands_on_the_application(
    person: Callable[[str], Browsing], language: str
) -> None:
    visitor = person(language)
    page, t = visitor.page, visitor.t
    page.goto("/signup")
    visitor.choose_language()
    visitor.heading("signup.title")
    visitor.screenshot("signup")

    page.get_by_label(t("signup.email")).fill(new_email())
    page.get_by_label(t("signup.password")).fill(PASSWORD)
    page.get_by_label(t("signup.full_name")).fill("Ada Lovelace")
    terms_box = page.get_by_role("checkbox", name=re.compile(re.escape(t("signup.terms_link"))))
    expect(terms_box).not_to_be_checked()

    # The terms' text is one click away, in a dialog over the form; accepting ticks the box.
    page.get_by_role("button", name=t("signup.terms_link")).click()
    terms = page.get_by_role("dialog", name=t("terms.title"))
    expect(terms).to_be_visible()
    expect(terms.get_by_role("heading", name=t("terms.s1.heading"))).to_be_visible()
    expect(terms).to_contain_text(t("terms.s5.body"))
    visitor.screenshot("signup-terms")
    terms.get_by_role("button", name=t("terms.accept")).click()
    expect(terms).to_be_hidden()
    expect(terms_box).to_be_checked()

    page.get_by_role("button", name=t("signup.submit"), exact=True).click()
    confirmation = page.get_by_role("dialog", name=t("signup.confirm.title"))
    expect(confirmation).to_contain_text(t("signup.confirm.body", name="Ada Lovelace"))
    countdown = confirmation.get_by_text(t.pattern("signup.confirm.countdown"))
    first = int(re.findall(r"\d+", countdown.inner_text())[0])
    assert 3 <= first <= 5, f"the countdown starts at five seconds, it shows {first}"
    visitor.screenshot("signup-confirmation")
    for seconds in (first - 1, first - 2):  # the visible number goes down, second by second
        expect(countdown).to_have_text(t("signup.confirm.countdown", seconds=seconds))

    expect(page).to_have_url(re.compile(r"/apply/role$"))
    visitor.heading("apply.role.title")
    expect(page.get_by_role("button", name=t("nav.logout"))).to_be_visible()  # logged in
    expect(page.get_by_text("Ada Lovelace")).to_be_visible()


def test_the_language_chosen_in_the_switcher_is_remembered_after_a_reload(
    person: Callable[[str], Browsing],
) -> None:
    page = person("zh-CN").page
    page.goto("/signup")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")  # Simplified Chinese unless chosen
    expect(page.get_by_role("heading", level=1)).to_have_text("注册账号")

    switcher = page.get_by_role("group", name="语言")
    switcher.get_by_role("button", name=LANGUAGE_NAMES["en"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    expect(html).to_have_attribute("lang", "en")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("group", name="Language").get_by_role("button", name="简体中文").click()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("注册账号")
    expect(html).to_have_attribute("lang", "zh-CN")


def test_chinese_text_is_drawn_with_a_font_that_has_its_glyphs(
    person: Callable[[str], Browsing],
) -> None:
    """Without a CJK font on the machine Chromium draws every Chinese character as an empty
    box: the page "works" and is unreadable. Ask the browser which font it really used."""
    page = person("zh-CN").page
    page.goto("/signup")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("注册账号")

    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]

    used = {font["familyName"]: font["glyphCount"] for font in fonts}
    assert any("CJK" in family or "Hei" in family for family in used), used
    assert sum(used.values()) == len("注册账号"), used  # every character drawn from a font
