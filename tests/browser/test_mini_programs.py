"""The console of a workspace: the switcher, Manage Mini Program with its quota, creating a mini
program for Alipay China under the platform's rules, modifying it, and the limit of ten."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import LANGUAGES, Api, Browsing, Words, logo_image

pytestmark = pytest.mark.slow

SEARCH = {"zh-CN": "餐饮", "en": "restaurant"}  # food.restaurant: 餐饮 / Restaurants
INDUSTRY = {"zh-CN": "餐饮", "en": "Restaurants"}


def textbox(page: Page, label: str) -> Locator:
    return page.get_by_role("textbox", name=label, exact=True)


def start_creating(page: Page, t: Words) -> None:
    """+ Create Mini Program, then Alipay China: the form."""
    page.get_by_role("link", name=t("mp.list.create")).click()
    alipay = page.get_by_role("article", name=t("mp.target.alipay_cn"))
    expect(alipay).to_contain_text(t("mp.create.alipay_text"))
    alipay.get_by_role("link", name=t("apply.role.select")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("mp.form.create_title"))


def choose_industry(page: Page, t: Words) -> None:
    """Search the catalogue and pick with the keyboard, as the combobox is meant to be used."""
    search = page.get_by_role("combobox", name=t("mp.industry"))
    search.fill(SEARCH[t.language])
    option = page.get_by_role("option", name=re.compile(INDUSTRY[t.language]))
    expect(option).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(search).to_have_value(INDUSTRY[t.language])
    expect(search).to_have_accessible_description(re.compile("food.restaurant"))


def fill_valid_form(browsing: Browsing, name: str) -> None:
    page, t = browsing.page, browsing.t
    textbox(page, t("mp.name")).fill(name)
    textbox(page, t("mp.tagline")).fill("午餐两步就点好")
    textbox(page, t("mp.description")).fill("为写字楼上班族提供附近餐厅的午餐预订服务。")
    browsing.choose_image(t("logo.choose"), "logo.png", logo_image(128), "image/png")
    choose_industry(page, t)
    textbox(page, t("mp.service_phone")).fill("0571-8888888")
    textbox(page, t("mp.service_email")).fill("service@xiaoman.example.com")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_owner_creates_a_mini_program_for_alipay_china_under_the_rules_beside_the_form(
    api: Api, person: Callable[[str], Browsing], language: str
) -> None:
    run = uuid.uuid4().hex[:6]
    owner = api.owner_of_a_workspace(f"小满科技 {run}")
    other = api.owner_of_a_workspace(f"Partner Studio {run}")
    api.add_member(other, owner, "master")  # a second workspace to switch to
    browsing = person(language)
    page, t = browsing.page, browsing.t
    browsing.log_in(owner.email)

    # Manage Mini Program, with the quota, in the workspace chosen in the header.
    browsing.heading("mp.list.title")
    switcher = page.get_by_role("combobox", name=t("console.switcher.label"))
    expect(switcher.locator("option:checked")).to_have_text(f"小满科技 {run}")
    switcher.select_option(label=f"Partner Studio {run}")
    expect(page).to_have_url(re.compile(f"/console/w/{other.workspace_id}/mini-programs$"))
    expect(page.get_by_role("main")).to_contain_text(f"Partner Studio {run}")
    switcher.select_option(label=f"小满科技 {run}")
    expect(page).to_have_url(re.compile(f"/console/w/{owner.workspace_id}/mini-programs$"))
    expect(page.get_by_text(t("mp.quota", used=0, limit=10))).to_be_visible()
    browsing.screenshot("console-mini-programs-empty")

    start_creating(page, t)
    form = page.locator("form")
    rules = page.get_by_role("complementary", name=t("mp.rules.title"))
    expect(rules).to_contain_text(t("mp.rules.weight"))
    form_box, rules_box = form.bounding_box(), rules.bounding_box()
    assert form_box is not None
    assert rules_box is not None
    assert rules_box["x"] >= form_box["x"] + form_box["width"], "the rules are on the right"

    # Live counters weigh a Chinese character as two, as the server does.
    name = textbox(page, t("mp.name"))
    name.fill("小满点餐")
    expect(page.get_by_text("8/30", exact=True)).to_be_visible()
    expect(name).to_have_accessible_description(
        re.compile(re.escape(t("counter.spoken", length=8, min=3, max=30)))
    )
    textbox(page, t("mp.tagline")).fill("午餐两步就点好")
    expect(page.get_by_text("14/30", exact=True)).to_be_visible()

    # The logo is checked before upload: a non-square image is refused in the browser ...
    browsing.choose_image(t("logo.choose"), "wide.png", logo_image(128, 64), "image/png")
    logo_input = page.get_by_label(t("mp.logo"))
    expect(logo_input).to_have_accessible_description(
        re.compile(re.escape(t("logo.problem.not_square", width=128, height=64)))
    )
    expect(page.get_by_role("img", name=t("logo.preview_alt"))).to_have_count(0)
    # ... while a JPEG named .png is taken for what its bytes are.
    jpeg = logo_image(120, fmt="JPEG")
    browsing.choose_image(t("logo.choose"), "photo.png", jpeg, "image/png")
    expect(page.get_by_role("img", name=t("logo.preview_alt"))).to_be_visible()
    expect(logo_input).to_have_attribute("aria-invalid", "false")

    textbox(page, t("mp.description")).fill("为写字楼上班族提供附近餐厅的午餐预订服务。")
    choose_industry(page, t)
    phone = textbox(page, t("mp.service_phone"))
    expect(phone).to_have_accessible_description(re.compile(re.escape(t("mp.service_phone_hint"))))
    phone.fill("0571-888888")
    textbox(page, t("mp.service_email")).fill("service@xiaoman.example.com")
    # The language is Chinese and fixed: shown, not a control.
    expect(page.get_by_text(t("mp.language_hint"))).to_be_visible()
    expect(page.get_by_role("main").get_by_text(t("mp.language.zh"), exact=True)).to_be_visible()
    assert page.get_by_role("textbox", name=t("mp.language")).count() == 0
    assert page.get_by_role("combobox", name=t("mp.language")).count() == 0
    browsing.screenshot("console-create-form")

    page.get_by_role("button", name=t("mp.create"), exact=True).click()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile(re.escape(t("mp.error.phone"))))
    expect(phone).to_be_focused()
    phone.fill("0571-8888888")
    page.get_by_role("button", name=t("mp.create"), exact=True).click()

    # Created: listed with its logo, the quota counts it.
    expect(page.get_by_text(t("mp.list.saved", name="小满点餐"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text="小满点餐")
    expect(row).to_contain_text(t("mp.language.zh"))
    expect(row.get_by_role("img", name=t("mp.logo_alt", name="小满点餐"))).to_be_visible()
    expect(page.get_by_text(t("mp.quota", used=1, limit=10))).to_be_visible()
    browsing.screenshot("console-mini-programs")
    (created,) = api.expect(
        200, "GET", f"/v1/mini-programs?workspace_id={owner.workspace_id}", token=owner.token
    )["items"]
    assert created["language"] == "zh-CN"
    status, logo = api.call("GET", f"/v1/mini-programs/{created['id']}/logo", token=owner.token)
    assert (status, logo) == (200, jpeg), "the logo stored is the JPEG as chosen"


def test_modify_asks_for_every_field_again(api: Api, person: Callable[[str], Browsing]) -> None:
    owner = api.owner_of_a_workspace(f"Modify Co {uuid.uuid4().hex[:6]}")
    api.create_mini_program(owner, "Lunch Box")
    browsing = person("en")
    page, t = browsing.page, browsing.t
    browsing.log_in(owner.email)
    page.get_by_role("link", name=t("mp.list.modify_named", name="Lunch Box")).click()
    browsing.heading("mp.form.edit_title")
    expect(page.get_by_text(t("mp.form.edit_lead"))).to_be_visible()
    expect(textbox(page, t("mp.name"))).to_have_value("Lunch Box")

    tagline = textbox(page, t("mp.tagline"))
    tagline.fill("")
    page.get_by_role("button", name=t("mp.save_changes")).click()
    expect(tagline).to_have_attribute("aria-invalid", "true")
    expect(tagline).to_have_accessible_description(re.compile(re.escape(t("mp.error.required"))))
    browsing.screenshot("console-modify-form")

    tagline.fill("Lunch ordered in two taps")
    page.get_by_role("button", name=t("mp.save_changes")).click()
    expect(page.get_by_text(t("mp.list.saved", name="Lunch Box"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Lunch Box")).to_contain_text(
        "Lunch ordered in two taps"
    )


def test_the_eleventh_mini_program_shows_the_limit_message(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    owner = api.owner_of_a_workspace(f"Full House {uuid.uuid4().hex[:6]}")
    for number in range(1, 11):
        api.create_mini_program(owner, f"Program {number:02}")
    browsing = person("zh-CN")
    page, t = browsing.page, browsing.t
    browsing.log_in(owner.email)
    expect(page.get_by_text(t("mp.quota", used=10, limit=10))).to_be_visible()
    expect(page.get_by_text(t("mp.list.full", limit=10))).to_be_visible()

    start_creating(page, t)
    fill_valid_form(browsing, "第十一个")
    page.get_by_role("button", name=t("mp.create"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("problem.mini_program_limit"))
    expect(page.get_by_text(t("mp.limit_help"))).to_be_visible()
    browsing.screenshot("console-create-limit")
