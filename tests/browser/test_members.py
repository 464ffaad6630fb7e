"""The team of a workspace: the owner adds an existing account and changes its role; that
developer sees what a developer may see."""

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.support import Api, Browsing, eventually

pytestmark = pytest.mark.slow


def test_the_owner_adds_a_member_changes_their_role_and_the_developer_sees_what_they_may(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    colleague = api.sign_up("Zhang Wei", prefix="developer")  # an account already
    owner = api.owner_of_a_workspace(f"Team Studio {uuid.uuid4().hex[:6]}")
    api.create_mini_program(owner, "Owner's Program")

    at_owner = person("en")
    page, t = at_owner.page, at_owner.t
    at_owner.log_in(owner.email)
    at_owner.go_to("nav.members")
    at_owner.heading("members.title")
    expect(page.get_by_role("row").filter(has_text=owner.email)).to_contain_text(t("role.owner"))

    # Beside the invitations by email: adding someone who has an account already.
    adding = page.get_by_role("region", name=t("members.add.title"))
    adding.get_by_role("textbox", name=t("members.email")).fill(colleague.email)
    adding.get_by_role("combobox", name=t("members.role"), exact=True).select_option(
        label=t("role.master")
    )
    adding.get_by_role("button", name=t("members.add.submit")).click()
    expect(page.get_by_role("status")).to_have_text(
        t("members.added", name="Zhang Wei", role=t("role.master"))
    )
    role = page.get_by_role("combobox", name=t("members.role_of", name="Zhang Wei"))
    expect(role).to_have_value("master")
    role.select_option(label=t("role.developer"))
    expect(page.get_by_role("status")).to_have_text(
        t("members.changed", name="Zhang Wei", role=t("role.developer"))
    )
    expect(role).to_have_value("developer")
    at_owner.screenshot("console-members")

    # The mini programs service learns the new role from the workspace's events.
    list_path = f"/v1/mini-programs?workspace_id={owner.workspace_id}"
    eventually(
        lambda: api.expect(200, "GET", list_path, token=colleague.token)["items"] == [],
        what="the developer's role known to the mini programs service",
    )

    at_developer = person("zh-CN")
    page, t = at_developer.page, at_developer.t
    at_developer.log_in(colleague.email)
    expect(page).to_have_url(re.compile(f"/console/w/{owner.workspace_id}/mini-programs$"))
    at_developer.heading("mp.list.title")
    expect(page.get_by_text(t("mp.list.developer_notice"))).to_be_visible()
    expect(page.get_by_text(t("mp.list.empty_developer"))).to_be_visible()
    expect(page.get_by_text("Owner's Program")).to_have_count(0)  # not assigned to them
    expect(page.get_by_role("link", name=t("mp.list.create"))).to_have_count(0)
    at_developer.screenshot("console-developer")

    at_developer.go_to("nav.members")
    expect(page.get_by_text(t("members.owner_only"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=colleague.email)).to_contain_text(
        t("role.developer")
    )
    expect(page.get_by_role("heading", name=t("members.add.title"))).to_have_count(0)
    expect(page.get_by_role("combobox", name=t("members.role_of", name="Zhang Wei"))).to_have_count(
        0
    )

    # Creating is not a developer's: the form's address leads back to the list.
    page.goto(f"/console/w/{owner.workspace_id}/mini-programs/new/alipay_cn")
    expect(page).to_have_url(re.compile(f"/console/w/{owner.workspace_id}/mini-programs$"))
