"""Per-mini-program access in the browser: the owner grants a developer one mini program on
its page, the developer then sees and modifies that one only (before: none), and the owner
takes it away again from the member's page."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.support import Api, Browsing
from tests.browser.test_accessibility import assert_every_control_labelled

pytestmark = pytest.mark.slow


def test_the_owner_grants_a_developer_one_mini_program_and_the_developer_sees_only_that(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    owner = api.owner_of_a_workspace(f"Grant Studio {uuid.uuid4().hex[:6]}")
    lunch = api.create_mini_program(owner, "Lunch Orders")
    api.create_mini_program(owner, "Bike Share")
    developer = api.sign_up("Zhou Min", prefix="developer")
    api.add_member(owner, developer, "developer")

    # Before any grant: the developer sees no mini program and cannot create one.
    at_developer = person("zh-CN")
    dev_page, dev_t = at_developer.page, at_developer.t
    at_developer.log_in(developer.email)
    at_developer.heading("mp.list.title")
    expect(dev_page.get_by_text(dev_t("mp.list.empty_developer"))).to_be_visible()
    expect(dev_page.get_by_role("link", name=dev_t("mp.list.create"))).to_have_count(0)

    at_owner = person("en")
    page, t = at_owner.page, at_owner.t
    at_owner.log_in(owner.email)
    page.get_by_role("link", name=t("grants.mp.link_named", name="Lunch Orders")).click()
    at_owner.heading("grants.mp.title", name="Lunch Orders")
    row = page.get_by_role("row").filter(has_text=developer.email)
    expect(row).to_contain_text(t("grants.not_granted"))
    assert_every_control_labelled(page, "a mini program's developers")
    row.get_by_role("button", name=f"{t('grants.grant')} Zhou Min").press("Enter")  # keyboard
    expect(page.get_by_role("status")).to_have_text(
        t("grants.given", who="Zhou Min", what="Lunch Orders")
    )
    expect(row).to_contain_text(t("grants.granted"))
    at_owner.screenshots("console-mini-program-developers")

    # After: only the granted one, which the developer may modify.
    dev_page.reload()
    expect(dev_page.get_by_role("row").filter(has_text="Lunch Orders")).to_be_visible()
    expect(dev_page.get_by_text("Bike Share")).to_have_count(0)
    expect(dev_page.get_by_role("link", name=dev_t("mp.list.create"))).to_have_count(0)
    expect(
        dev_page.get_by_role("link", name=dev_t("grants.mp.link_named", name="Lunch Orders"))
    ).to_have_count(0)
    at_developer.screenshot("console-developer-granted")
    dev_page.get_by_role("link", name=dev_t("mp.list.modify_named", name="Lunch Orders")).click()
    at_developer.heading("mp.form.edit_title")
    tagline = dev_page.get_by_role("textbox", name=dev_t("mp.tagline"), exact=True)
    tagline.fill("两步点好午餐")
    dev_page.get_by_role("button", name=dev_t("mp.save_changes")).click()
    expect(dev_page.get_by_text(dev_t("mp.list.saved", name="Lunch Orders"))).to_be_visible()
    expect(dev_page.get_by_role("row").filter(has_text="Lunch Orders")).to_contain_text(
        "两步点好午餐"
    )
    # A developer does not grant: the page leads back to the list.
    dev_page.goto(f"/console/w/{owner.workspace_id}/mini-programs/{lunch['id']}/developers")
    expect(dev_page).to_have_url(re.compile(f"/console/w/{owner.workspace_id}/mini-programs$"))

    # The owner takes it away from the member's page, where every mini program is listed: the
    # member's grants come from one listing of theirs, not from each mini program's developers.
    at_owner.go_to("nav.members")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.get_by_role("link", name="Zhou Min").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zhou Min")
    expect(page.get_by_role("heading", name=t("grants.member.title"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Lunch Orders")).to_contain_text(
        t("grants.granted")
    )
    assert [u for u in asked if f"developer_id={developer.account_id}" in u], asked
    assert not [u for u in asked if u.endswith("/developers")], asked
    lunch_row = page.get_by_role("row").filter(has_text="Lunch Orders")
    expect(lunch_row).to_contain_text(t("grants.granted"))
    expect(page.get_by_role("row").filter(has_text="Bike Share")).to_contain_text(
        t("grants.not_granted")
    )
    assert_every_control_labelled(page, "a member's mini programs")
    at_owner.screenshots("console-member-access")
    lunch_row.get_by_role("button", name=f"{t('grants.revoke')} Lunch Orders").click()
    expect(page.get_by_role("status")).to_have_text(
        t("grants.taken", who="Zhou Min", what="Lunch Orders")
    )
    expect(lunch_row).to_contain_text(t("grants.not_granted"))

    dev_page.goto(f"/console/w/{owner.workspace_id}/mini-programs")
    expect(dev_page.get_by_text(dev_t("mp.list.empty_developer"))).to_be_visible()
    expect(dev_page.get_by_text("Lunch Orders")).to_have_count(0)
