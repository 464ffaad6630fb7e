"""The review: the merchant waiting, the reviewer's queue and decision, the mail it sends, a new
application after a rejection, and the workspace an approval opens."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    LANGUAGES,
    REVIEWER,
    Api,
    Browsing,
    Mailbox,
    Words,
    announced,
    logo_image,
    text_of,
)

pytestmark = pytest.mark.slow

# How long the status page waits before asking again while a decision is pending.
STATUS_POLL = "00:16"
REASON = {
    "zh-CN": "营业执照照片不清晰，请上传清晰的扫描件。",
    "en": "The business licence scan is unreadable; please upload a clearer one.",
}


def open_application(page: Page, t: Words, company: str) -> None:
    page.get_by_role("link", name=t("review.open_named", company=company)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(company)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rejection_is_mailed_with_its_reason_then_reapplied_and_approved_into_the_console(
    api: Api, mailbox: Mailbox, person: Callable[[str], Browsing], language: str
) -> None:
    run = uuid.uuid4().hex[:6]
    early_bird = api.sign_up("Early Bird")
    api.apply(early_bird, earlier := f"Early Bird {run}")
    # The early bird follows the signup mail's link; the merchant never does.
    token = mailbox.wait_for_link(early_bird.email, "/verify-email").split("token=")[1]
    api.expect(200, "POST", "/v1/email-verifications", json_body={"token": token})
    merchant = api.sign_up("王小满" if language == "zh-CN" else "Ada Merchant")
    company = f"小满科技 {run}" if language == "zh-CN" else f"Acme Mini Apps {run}"
    api.apply(merchant, company, logo=logo_image(160))

    # The merchant waits on the status page, which asks again by itself (its clock is ours).
    shop = person(language)
    shop.page.clock.install()
    shop.log_in(merchant.email)
    shop.heading("apply.status.under_review.title")
    t = shop.t

    # The reviewer's queue, oldest first; the application with its details and logo.
    desk = person(language)
    desk.log_in(*REVIEWER)
    desk.heading("review.queue.title")
    expect(desk.page.get_by_role("row").filter(has_text=company)).to_be_visible()
    rows = desk.page.get_by_role("row").all_inner_texts()
    position = {
        name: next(i for i, r in enumerate(rows) if name in r) for name in (earlier, company)
    }
    assert position[earlier] < position[company], "the queue is oldest first"
    queue = desk.page.get_by_role("row")
    expect(queue.filter(has_text=earlier)).to_contain_text(t("review.email_verified"))
    expect(queue.filter(has_text=company)).to_contain_text(t("review.email_unverified"))
    desk.screenshot("review-queue")
    open_application(desk.page, t, company)
    details = desk.page.get_by_role("region", name=t("review.details"))
    for value in (merchant.email, "https://acme.example.com", "+86 571 8888 8888"):
        expect(details).to_contain_text(value)
    expect(details).to_contain_text(t("review.email_unverified"))
    logo = desk.page.get_by_role("img", name=t("review.logo_alt", company=company))
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth") == 160
    desk.screenshot("review-detail")

    # Rejected with a reason, which the mail carries.
    desk.page.get_by_label(t("review.reason")).fill(REASON[language])
    desk.page.get_by_role("button", name=t("review.reject")).click()
    expect(desk.page.get_by_text(t("review.rejected_notice"))).to_be_visible()
    # Signup mailed the verification link before: the review's mail is the other one.
    mails = mailbox.wait_for_mail_to(merchant.email, count=2)
    (mail,) = [m for m in mails if "verify-email" not in text_of(m)]
    assert mail["To"].addresses[0].addr_spec == merchant.email
    assert mail["Subject"] == (
        "Your workspace application was not approved / 您的工作空间申请未通过"
    )
    assert REASON[language] in text_of(mail)
    assert company in text_of(mail)

    # The merchant's page shows the reason, and a new application starts from the old one.
    shop.page.clock.fast_forward(STATUS_POLL)
    shop.heading("apply.status.rejected.title")
    expect(shop.page.get_by_role("region", name=t("apply.status.rejected.reason"))).to_contain_text(
        REASON[language]
    )
    shop.screenshot("apply-status-rejected")
    shop.page.get_by_role("button", name=t("apply.status.rejected.again")).click()
    shop.heading("apply.role.title")
    expect(shop.page.get_by_text(t("apply.prefilled_notice"))).to_be_visible()
    shop.page.get_by_role("button", name=t("apply.role.select")).click()
    company_name = shop.page.get_by_role("textbox", name=t("apply.details.company_name"))
    expect(company_name).to_have_value(company)
    expect(shop.page.get_by_role("textbox", name=t("apply.details.website"))).to_have_value(
        "https://acme.example.com"
    )
    expect(
        shop.page.get_by_role("img", name=t("apply.details.logo_alt"), exact=True)
    ).to_be_visible()
    shop.page.get_by_role("button", name=t("apply.next_step")).click()
    shop.page.get_by_role("button", name=t("apply.review.submit")).click()
    shop.heading("apply.status.under_review.title")

    # The reviewer finds it in the queue again, linked to the rejected one, and approves it.
    desk.go_to("nav.review_queue")
    open_application(desk.page, t, company)
    expect(desk.page.get_by_role("link", name=t("review.previous_link"))).to_be_visible()
    desk.page.get_by_role("button", name=t("review.approve")).click()
    expect(desk.page.get_by_text(t("review.approved_notice"))).to_be_visible()

    # The merchant sees the workspace being set up, then lands in its console.
    shop.page.clock.fast_forward(STATUS_POLL)
    expect(shop.page).to_have_url(re.compile(r"/console/w/[^/]+/mini-programs$"))
    shop.heading("mp.list.title")
    expect(shop.page.get_by_role("main")).to_contain_text(company)
    assert t("apply.status.approved.setting_up") in announced(shop.page)
    assert len(mailbox.wait_for_mail_to(merchant.email, count=3)) == 3  # verify, reject, approve


def test_a_second_decision_on_the_same_application_shows_the_conflict(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    company = f"Twice Decided {uuid.uuid4().hex[:6]}"
    api.apply(api.sign_up(), company)
    first, second = person("en"), person("en")
    for desk in (first, second):  # two reviewer pages open on the same application
        desk.log_in(*REVIEWER)
        open_application(desk.page, desk.t, company)
    t = first.t

    first.page.get_by_role("button", name=t("review.approve")).click()
    expect(first.page.get_by_text(t("review.approved_notice"))).to_be_visible()

    second.page.get_by_label(t("review.reason")).fill("Incomplete contact details")
    second.page.get_by_role("button", name=t("review.reject")).click()
    alert = second.page.get_by_role("alert")
    expect(alert).to_contain_text(t("problem.already_decided"))
    expect(second.page.get_by_text(t("review.conflict_help"))).to_be_visible()
    # ... and the page now shows the decision that was made first, with nothing left to decide.
    details = second.page.get_by_role("region", name=t("review.details"))
    expect(details).to_contain_text(t("review.status.approved"))
    expect(second.page.get_by_text(t("review.already_decided_text"))).to_be_visible()
    expect(second.page.get_by_role("button", name=t("review.reject"))).to_have_count(0)
    assert t("problem.already_decided") in " ".join(announced(second.page))
    second.screenshot("review-conflict")
