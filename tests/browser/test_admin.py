"""The admin's email delivery log."""

import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.support import ADMIN, Api, Browsing, Mailbox, eventually

pytestmark = pytest.mark.slow


def test_the_admin_finds_the_review_mails_of_an_applicant_in_the_delivery_log(
    api: Api, mailbox: Mailbox, person: Callable[[str], Browsing]
) -> None:
    merchant = api.sign_up("Ada Mailbox")
    company = f"Mailbox Co {uuid.uuid4().hex[:6]}"
    rejected = api.apply(merchant, company)
    api.decide(rejected["id"], "reject", "The licence is missing")
    api.save_draft(merchant, step="review")  # the new application, prefilled
    approved = api.expect(
        201, "POST", "/v1/workspace-applications/draft/submit", token=merchant.token
    )
    api.decide(approved["id"], "approve")
    mailbox.wait_for_mail_to(merchant.email, count=3)  # the verification link, then the reviews
    admin_token = api.log_in(*ADMIN)
    eventually(
        lambda: (
            [
                n["status"]
                for n in api.expect(
                    200,
                    "GET",
                    f"/v1/notifications?account_id={merchant.account_id}",
                    token=admin_token,
                )["items"]
            ]
            == ["sent", "sent", "sent"]
        ),
        what="both mails recorded as sent",
    )

    admin = person("zh-CN")
    page, t = admin.page, admin.t
    admin.log_in(*ADMIN)
    admin.heading("notifications.title")
    page.get_by_role("textbox", name=t("notifications.account_id")).fill(merchant.account_id)
    page.get_by_role("button", name=t("notifications.search")).click()

    rows = page.get_by_role("row").filter(has_text=merchant.email)
    expect(rows).to_have_count(3)
    # Newest first: the approval, the rejection, the verification link of the signup; delivered.
    expect(rows.nth(0)).to_contain_text(t("review.status.approved"))
    expect(rows.nth(1)).to_contain_text(t("review.status.rejected"))
    expect(rows.nth(2)).to_contain_text(t("notifications.kind.email_verification"))
    for index in (0, 1, 2):
        expect(rows.nth(index)).to_contain_text(t("notifications.status.sent"))
    admin.screenshot("admin-delivery-log")
