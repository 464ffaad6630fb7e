"""Invitations by email in the browser: the owner invites, the invitee follows the mail's link,
signs up and joins; a revoked, an expired and someone else's invitation each say why not."""

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from playwright.sync_api import Locator, Page, expect
from pymongo import MongoClient

from tests.browser.conftest import DevStack
from tests.browser.support import (
    PASSWORD,
    Api,
    Browsing,
    Mailbox,
    Person,
    Words,
    eventually,
    new_email,
)
from tests.browser.test_accessibility import assert_every_control_labelled

pytestmark = pytest.mark.slow

ACCEPT_PATH = "/invitations/accept"


def _invitations(page: Page, t: Words) -> Locator:
    return page.get_by_role("region", name=t("invite.title"))


def _expire(stack: DevStack, workspace_id: str, invitation_id: str) -> None:
    """What three days would do: the invitation's expiry moved into the past."""
    with MongoClient(stack.mongo_url) as client:
        done = client["workspaces"]["workspaces"].update_one(
            {"_id": workspace_id, "invitations.id": invitation_id},
            {"$set": {"invitations.$.expires_at": datetime.now(UTC) - timedelta(minutes=1)}},
        )
    assert done.modified_count == 1


def _accept(browsing: Browsing) -> None:
    browsing.page.get_by_role("button", name=browsing.t("invite.accept.submit")).click()


def _inviter_name(api: Api, owner: Person) -> str:
    """The owner's name as their workspace knows it (what the mail and the preview say)."""
    members = api.expect(
        200, "GET", f"/v1/workspaces/{owner.workspace_id}/members", token=owner.token
    )
    return str(next(m["full_name"] for m in members["items"] if m["role"] == "owner"))


def _refused(browsing: Browsing, reason: str, **values: object) -> None:
    alert = browsing.page.get_by_role("alert").filter(has_text=browsing.t(f"{reason}"))
    expect(alert).to_contain_text(browsing.t(f"{reason}_text", **values))
    expect(alert).to_be_focused()


def test_the_owner_invites_an_email_and_the_invitee_signs_up_from_the_mail_and_joins(
    api: Api, mailbox: Mailbox, person: Callable[[str], Browsing]
) -> None:
    company = f"Invite Studio {uuid.uuid4().hex[:6]}"
    owner = api.owner_of_a_workspace(company)
    invitee = new_email("invitee")

    at_owner = person("en")
    page, t = at_owner.page, at_owner.t
    at_owner.log_in(owner.email)
    at_owner.go_to("nav.members")
    invitations = _invitations(page, t)
    invitations.get_by_role("button", name=t("invite.submit")).click()  # nothing filled in
    email_box = invitations.get_by_role("textbox", name=t("invite.email"))
    expect(email_box).to_be_focused()
    expect(email_box).to_have_accessible_description(t("invite.error.email"))
    email_box.fill(invitee)
    invitations.get_by_role("combobox", name=t("invite.role")).select_option(
        label=t("role.developer")
    )
    invitations.get_by_role("button", name=t("invite.submit")).click()
    expect(invitations.get_by_role("status")).to_have_text(t("invite.invited", email=invitee))
    row = invitations.get_by_role("row").filter(has_text=invitee)
    expect(row).to_contain_text(t("invite.status.pending"))
    expect(row).to_contain_text(t.pattern("invite.expires"))
    expect(row.get_by_role("button", name=f"{t('invite.revoke')} {invitee}")).to_be_visible()
    # Inviting the same email again: the server's conflict beside the field.
    email_box.fill(invitee)
    invitations.get_by_role("button", name=t("invite.submit")).click()
    expect(email_box).to_be_focused()
    expect(invitations.get_by_role("alert")).to_contain_text(t("problem.invitation_pending"))
    at_owner.screenshots("console-invitations")

    # The mail's link opens the accept page on the console's own origin.
    link = mailbox.wait_for_link(invitee, ACCEPT_PATH)
    assert link.startswith(f"{api.base_url}{ACCEPT_PATH}?token="), link

    at_invitee = person("zh-CN")
    page, t = at_invitee.page, at_invitee.t
    page.goto(link)
    at_invitee.heading("invite.accept.title")
    # Before any signup the page says who invites, to what, as what, and for which email.
    offer = t(
        "invite.accept.offer",
        inviter=_inviter_name(api, owner),
        workspace=company,
        role=t("role.developer"),
    )
    expect(page.get_by_text(offer)).to_be_visible()
    expect(page.get_by_text(t("invite.accept.sent_to", email=invitee))).to_be_visible()
    expect(page.get_by_text(t("invite.accept.signed_out"))).to_be_visible()
    assert_every_control_labelled(page, "the accept page")
    at_invitee.screenshots("invitation-accept")
    page.get_by_role("link", name=t("invite.accept.sign_up")).click()
    at_invitee.heading("signup.title")
    expect(page.get_by_label(t("signup.email"))).to_have_value(invitee)  # filled in
    assert invitee not in unquote(page.url)  # in the history state, not the URL
    page.get_by_label(t("signup.password")).fill(PASSWORD)
    page.get_by_label(t("signup.full_name")).fill("Li Na")
    page.get_by_role("checkbox", name=re.compile(re.escape(t("signup.terms_link")))).check()
    page.get_by_role("button", name=t("signup.submit"), exact=True).click()
    confirmation = page.get_by_role("dialog", name=t("signup.confirm.title"))
    confirmation.get_by_role("button", name=t("signup.confirm.continue")).click()

    # Back at the link, signed in: accept, and the workspace opens.
    expect(page).to_have_url(link)
    expect(page.get_by_text(t("invite.accept.signed_in", email=invitee))).to_be_visible()
    _accept(at_invitee)
    expect(page).to_have_url(re.compile(f"/console/w/{owner.workspace_id}/mini-programs$"))
    joined = t("invite.joined", workspace=company, role=t("role.developer"))
    expect(page.get_by_role("status").filter(has_text=joined)).to_be_visible()
    expect(page.get_by_text(t("mp.list.developer_notice"))).to_be_visible()

    # The link works once: opened again, it says so at once.
    page.goto(link)
    _refused(at_invitee, "invite.accept.problem.used")
    expect(page.get_by_role("button", name=t("invite.accept.submit"))).to_have_count(0)

    page, t = at_owner.page, at_owner.t
    page.reload()
    expect(
        page.get_by_role("table").first.get_by_role("row").filter(has_text=invitee)
    ).to_contain_text(t("role.developer"))
    row = _invitations(page, t).get_by_role("row").filter(has_text=invitee)
    expect(row).to_contain_text(t("invite.status.accepted"))
    expect(row.get_by_role("button")).to_have_count(0)


def test_a_revoked_an_expired_and_another_email_s_invitation_each_say_why(
    api: Api, mailbox: Mailbox, dev_stack: DevStack, person: Callable[[str], Browsing]
) -> None:
    owner = api.owner_of_a_workspace(f"Careful Studio {uuid.uuid4().hex[:6]}")
    revoked, expired, pending = (api.sign_up(n, prefix="invited") for n in ("Wang", "Zhao", "Qian"))
    api.invite(owner, revoked.email)
    late = api.invite(owner, expired.email, role="master")
    api.invite(owner, pending.email)
    links = {
        p.email: mailbox.wait_for_link(p.email, ACCEPT_PATH) for p in (revoked, expired, pending)
    }

    at_owner = person("zh-CN")
    page, t = at_owner.page, at_owner.t
    at_owner.log_in(owner.email)
    at_owner.go_to("nav.members")
    invitations = _invitations(page, t)
    invitations.get_by_role("button", name=f"{t('invite.revoke')} {revoked.email}").click()
    dialog = page.get_by_role("dialog", name=t("invite.revoke_confirm.title"))
    expect(dialog).to_contain_text(t("invite.revoke_confirm.text", email=revoked.email))
    dialog.get_by_role("button", name=t("invite.revoke")).click()
    expect(invitations.get_by_role("status")).to_have_text(t("invite.revoked", email=revoked.email))
    expect(invitations.get_by_role("row").filter(has_text=revoked.email)).to_contain_text(
        t("invite.status.revoked")
    )
    _expire(dev_stack, owner.workspace_id or "", late["id"])
    page.reload()
    row = _invitations(page, t).get_by_role("row").filter(has_text=expired.email)
    expect(row).to_contain_text(t("invite.status.expired"))
    expect(row).to_contain_text(t.pattern("invite.expired_at"))
    expect(row.get_by_role("button", name=f"{t('invite.resend')} {expired.email}")).to_be_visible()
    expect(row.get_by_role("button", name=f"{t('invite.revoke')} {expired.email}")).to_have_count(0)

    # Signed out, a revoked link says so at once, and offers no signup or login.
    at_revoked = person("en")
    page, t = at_revoked.page, at_revoked.t
    page.goto(links[revoked.email])
    at_revoked.choose_language()
    _refused(at_revoked, "invite.accept.problem.revoked")
    expect(page.get_by_text(t("invite.accept.sent_to", email=revoked.email))).to_be_visible()
    expect(page.get_by_role("link", name=t("invite.accept.log_in"))).to_have_count(0)
    expect(page.get_by_role("link", name=t("invite.accept.sign_up"))).to_have_count(0)
    at_revoked.screenshots("invitation-revoked")

    at_expired = person("zh-CN")
    at_expired.page.goto(links[expired.email])  # signed out: told before logging in
    _refused(at_expired, "invite.accept.problem.expired")
    at_expired.log_in(expired.email)
    at_expired.page.goto(links[expired.email])
    _refused(at_expired, "invite.accept.problem.expired")
    expect(
        at_expired.page.get_by_role("button", name=at_expired.t("invite.accept.submit"))
    ).to_have_count(0)

    # The owner sends the expired one again: a new link for 3 days, the old one replaced.
    invitations = _invitations(at_owner.page, at_owner.t)
    resend = f"{at_owner.t('invite.resend')} {expired.email}"
    invitations.get_by_role("button", name=resend).click()
    expect(invitations.get_by_role("status")).to_have_text(
        at_owner.t("invite.resent", email=expired.email)
    )
    expect(invitations.get_by_role("row").filter(has_text=expired.email)).to_contain_text(
        at_owner.t("invite.status.pending")
    )
    new_link = eventually(
        lambda: (
            (link := mailbox.wait_for_link(expired.email, ACCEPT_PATH)) != links[expired.email]
            and link
        ),
        what="the mail of the resent invitation",
    )
    at_expired.page.goto(links[expired.email])
    _refused(at_expired, "invite.accept.problem.replaced")
    at_expired.page.goto(new_link)
    _accept(at_expired)
    expect(at_expired.page).to_have_url(re.compile(f"/console/w/{owner.workspace_id}/"))

    # Someone signed in with another email opens a pending invitation's link: told before accepting.
    at_expired.page.goto(links[pending.email])
    _refused(at_expired, "invite.accept.problem.other_email", email=expired.email)
    page, t = at_expired.page, at_expired.t
    page.get_by_role("button", name=t("invite.accept.switch_account")).click()
    expect(page.get_by_text(t("invite.accept.signed_out"))).to_be_visible()
    expect(page.get_by_role("link", name=t("invite.accept.log_in"))).to_be_visible()
