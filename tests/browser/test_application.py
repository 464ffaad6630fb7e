"""Applying for a workspace: the four sub-steps with Previous Step, the logo previews, the
server's word on a field, and the draft kept on the server between visits."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import LANGUAGES, Api, Browsing, Words, announced, logo_image

pytestmark = pytest.mark.slow

COMPANY = {"zh-CN": "杭州小满科技有限公司", "en": "Acme Mini Apps Ltd"}


def field(page: Page, label: str) -> Locator:
    return page.get_by_role("textbox", name=label, exact=True)


def previous_step(page: Page, t: Words) -> None:
    page.get_by_role("button", name=t("apply.previous_step")).click()


def next_step(page: Page, t: Words) -> None:
    page.get_by_role("button", name=t("apply.next_step")).click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_four_steps_go_back_with_previous_step_and_submit_the_application(
    api: Api, person: Callable[[str], Browsing], language: str
) -> None:
    merchant = api.sign_up("Ada Merchant")
    browsing = person(language)
    page, t = browsing.page, browsing.t
    company = COMPANY[language]
    browsing.log_in(merchant.email)

    # 1. The role: the Technical Merchant card and its Select button.
    expect(page).to_have_url(re.compile(r"/apply/role$"))
    steps = page.get_by_role("list", name=t("apply.steps_label"))
    expect(steps.locator("[aria-current=step]")).to_contain_text(t("apply.step.role"))
    card = page.get_by_role("article", name=t("apply.role.technical_merchant"))
    expect(card).to_contain_text(t("apply.role.technical_merchant_text"))
    browsing.screenshot("apply-1-role")
    card.get_by_role("button", name=t("apply.role.select")).click()

    # 2. Business details: without a logo, the default one (the initial on its colour).
    browsing.heading("apply.details.title")
    expect(steps.locator("[aria-current=step]")).to_contain_text(t("apply.step.details"))
    field(page, t("apply.details.company_name")).fill(company)
    default_logo = page.get_by_role(
        "img", name=t("apply.details.default_logo_alt", initial=company[0])
    )
    expect(default_logo).to_be_visible()
    expect(default_logo).to_contain_text(company[0])
    expect(page.get_by_text(t("apply.details.default_logo_caption"))).to_be_visible()
    field(page, t("apply.details.website")).fill("https://acme.example.com")
    field(page, t("apply.details.contact_number")).fill("+86 571 8888 8888")
    field(page, t("apply.details.contact_email")).fill("contact@acme.example.com")
    browsing.screenshot("apply-2-details-default-logo")

    # ... and a logo, previewed as soon as it is chosen.
    browsing.choose_image(t("logo.choose"), "logo.png", logo_image(128), "image/png")
    preview = page.get_by_role("img", name=t("logo.preview_alt"))
    expect(preview).to_be_visible()
    assert preview.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [128, 128]
    expect(default_logo).to_be_hidden()
    browsing.screenshot("apply-2-details-logo")
    next_step(page, t)

    # 3. Review: everything as it will be sent.
    browsing.heading("apply.review.title")
    summary = page.locator("dl")
    for value in (
        t("apply.role.technical_merchant"),
        company,
        "https://acme.example.com",
        "+86 571 8888 8888",
        "contact@acme.example.com",
    ):
        expect(summary).to_contain_text(value)
    expect(summary.get_by_role("img", name=t("apply.details.logo_alt"))).to_be_visible()
    browsing.screenshot("apply-3-review")

    # Previous Step goes back with what was typed, then back to the role (still chosen).
    previous_step(page, t)
    browsing.heading("apply.details.title")
    expect(field(page, t("apply.details.company_name"))).to_have_value(company)
    expect(field(page, t("apply.details.contact_email"))).to_have_value("contact@acme.example.com")
    expect(page.get_by_role("img", name=t("apply.details.logo_alt"), exact=True)).to_be_visible()
    previous_step(page, t)
    browsing.heading("apply.role.title")
    expect(card).to_contain_text(t("apply.role.selected"))
    card.get_by_role("button", name=t("apply.role.select")).click()
    next_step(page, t)

    # 4. Submit Application: under review, with the date a decision is expected by.
    page.get_by_role("button", name=t("apply.review.submit")).click()
    browsing.heading("apply.status.under_review.title")
    expect(page.get_by_text(t("apply.status.under_review.text", company=company))).to_be_visible()
    application = api.expect(200, "GET", "/v1/workspace-applications/current", token=merchant.token)
    expected_by = page.locator(".summary__row", has_text=t("apply.status.expected_decision_by"))
    expect(expected_by).to_contain_text(t.full_date(application["expected_decision_by"]))
    browsing.screenshot("apply-4-status-under-review")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_website_the_server_refuses_is_shown_beside_its_field_in_the_users_language(
    api: Api, person: Callable[[str], Browsing], language: str
) -> None:
    merchant = api.sign_up()
    api.save_draft(merchant, role="technical_merchant", step="business_details")
    # A space in the host: the browser's URL parser takes it, the server's rule does not.
    typo = "https://acme example.com"
    status, refused = api.call(
        "PUT", "/v1/workspace-applications/draft", json_body={"website": typo}, token=merchant.token
    )
    assert status == 422, refused
    [server] = refused["errors"]
    assert server["code"] == "url_parsing"  # and its English message, for raw readers

    browsing = person(language)
    page, t = browsing.page, browsing.t
    # The page says the server's code in the page's language, never the English message.
    says = t(f"field_error.{server['code']}", **server["params"])
    browsing.log_in(merchant.email)
    browsing.heading("apply.details.title")  # the draft's step
    field(page, t("apply.details.company_name")).fill(COMPANY[language])
    website = field(page, t("apply.details.website"))
    website.fill(typo)
    next_step(page, t)

    expect(website).to_have_attribute("aria-invalid", "true")
    expect(website).to_have_accessible_description(re.compile(re.escape(says)))
    expect(website).to_be_focused()  # where the user is, the message is
    error = page.locator(f"#{website.get_attribute('id')}-error")
    expect(error).to_have_text(says)
    expect(error).to_have_attribute("aria-live", "polite")
    if language == "zh-CN":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in says), says  # in Chinese
        expect(error).not_to_contain_text(server["message"])
    expect(page.get_by_role("alert")).to_contain_text(t("problem.validation_failed"))
    assert says in " ".join(announced(page))
    expect(field(page, t("apply.details.company_name"))).to_have_value(COMPANY[language])
    browsing.screenshot("apply-2-details-server-error")

    website.fill("https://acme.example.com")
    expect(website).to_have_attribute("aria-invalid", "false")
    next_step(page, t)
    browsing.heading("apply.review.title")


def test_leaving_and_logging_in_again_resumes_the_saved_draft_at_its_step(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    merchant = api.sign_up()
    first_visit = person("zh-CN")
    page, t = first_visit.page, first_visit.t
    first_visit.log_in(merchant.email)
    page.get_by_role("button", name=t("apply.role.select")).click()
    field(page, t("apply.details.company_name")).fill("西湖小程序工作室")
    field(page, t("apply.details.contact_email")).fill("hello@xihu.example.com")
    next_step(page, t)
    first_visit.heading("apply.review.title")
    first_visit.log_out()
    first_visit.context.close()  # the browser is gone: only the server remembers

    again = person("zh-CN")
    again.log_in(merchant.email)
    expect(again.page).to_have_url(re.compile(r"/apply/review$"))
    expect(again.page.locator("dl")).to_contain_text("西湖小程序工作室")
    previous_step(again.page, t)
    expect(field(again.page, t("apply.details.company_name"))).to_have_value("西湖小程序工作室")
    expect(field(again.page, t("apply.details.contact_email"))).to_have_value(
        "hello@xihu.example.com"
    )
