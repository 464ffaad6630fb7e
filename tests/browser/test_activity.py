"""The activity log in the browser: a team's scripted scenario shown newest first with who and
what, filtered by kind and by mini program, exported as CSV and JSON Lines with the bearer
token; and the applicant's own application history on the status page."""

import csv
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import Api, Browsing, Mailbox, Person, eventually
from tests.browser.test_accessibility import assert_every_control_labelled

pytestmark = pytest.mark.slow

SCENARIO_KINDS = {
    "application.submitted",
    "application.decided",
    "workspace.created",
    "member.invited",
    "member.joined",
    "mini_program.created",
    "access.granted",
}


def _team_scenario(api: Api, mailbox: Mailbox) -> tuple[Person, Person, str]:
    """An approved workspace, an invited developer who accepts, a mini program granted to them."""
    owner = api.owner_of_a_workspace(f"Logbook Studio {uuid.uuid4().hex[:6]}")
    developer = api.sign_up("Li Na", prefix="developer")
    api.invite(owner, developer.email)
    link = mailbox.wait_for_link(developer.email, "/invitations/accept")
    token = parse_qs(urlparse(link).query)["token"][0]
    api.expect(
        200, "POST", "/v1/invitations/accept", json_body={"token": token}, token=developer.token
    )
    eventually(  # the mini programs service learns the member from the workspace's events
        lambda: (
            api.call(
                "GET", f"/v1/mini-programs?workspace_id={owner.workspace_id}", token=developer.token
            )[0]
            == 200
        ),
        what="the mini programs service to know the developer",
    )
    lunch = api.create_mini_program(owner, "Lunch Orders")
    api.create_mini_program(owner, "Bike Share")
    path = f"/v1/mini-programs/{lunch['id']}/developers/{developer.account_id}"
    api.expect(200, "PUT", path, token=owner.token)

    def recorded() -> bool:
        log = api.expect(
            200, "GET", f"/v1/workspaces/{owner.workspace_id}/activity", token=owner.token
        )
        return {entry["kind"] for entry in log["items"]} >= SCENARIO_KINDS

    eventually(recorded, what="the scenario in the activity log")
    return owner, developer, lunch["id"]


def _rows(page: Page, kind: str) -> Locator:
    return page.locator(f'tbody tr[data-kind="{kind}"]')


def _download(browsing: Browsing, button: str) -> str:
    with browsing.page.expect_download() as download:
        browsing.page.get_by_role("button", name=browsing.t(button)).click()
    path = download.value.path()
    assert download.value.suggested_filename.startswith("activity-workspace-")
    return Path(path).read_text(encoding="utf-8")


def test_the_activity_log_shows_the_team_s_scenario_filters_and_exports(
    api: Api, mailbox: Mailbox, person: Callable[[str], Browsing]
) -> None:
    owner, developer, lunch_id = _team_scenario(api, mailbox)

    at_owner = person("en")
    page, t = at_owner.page, at_owner.t
    at_owner.log_in(owner.email)
    at_owner.go_to("nav.activity")
    at_owner.heading("activity.title")
    for kind in SCENARIO_KINDS:
        expect(_rows(page, kind).first).to_be_visible()
    granted = _rows(page, "access.granted")
    expect(granted).to_contain_text(
        t("activity.text.access.granted", actor="Ada Owner", member="Li Na", name="Lunch Orders")
    )
    expect(granted).to_contain_text(
        t(
            "activity.change",
            field=t("activity.field.access"),
            before=t("grants.not_granted"),
            after=t("grants.granted"),
        )
    )
    expect(_rows(page, "member.joined")).to_contain_text(
        t("activity.text.member.joined", member="Li Na", role=t("role.developer"))
    )
    # Newest first: the grant came last.
    expect(page.locator("tbody tr").first).to_have_attribute("data-kind", "access.granted")
    assert_every_control_labelled(page, "the activity log")
    at_owner.screenshots("console-activity")

    page.get_by_role("combobox", name=t("activity.filter.kind")).select_option(
        label=t("activity.kind.mini_program.created")
    )
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(_rows(page, "mini_program.created")).to_have_count(2)
    page.get_by_role("combobox", name=t("activity.filter.kind")).select_option(
        label=t("activity.filter.all_kinds")
    )
    page.get_by_role("combobox", name=t("activity.filter.mini_program")).select_option(
        label="Lunch Orders"
    )
    expect(page.locator("tbody tr")).to_have_count(2)  # created, then granted
    expect(page.get_by_text("Bike Share")).to_have_count(1)  # only as a choice of the filter

    # Exports with the filter: every entry about Lunch Orders, with the bearer token.
    lines = [json.loads(line) for line in _download(at_owner, "activity.export.jsonl").splitlines()]
    assert {line["kind"] for line in lines} == {"mini_program.created", "access.granted"}
    assert all(line["mini_program_id"] == lunch_id for line in lines)
    expect(page.get_by_role("status")).to_have_text(t("activity.exported", format="JSON Lines"))
    page.get_by_role("combobox", name=t("activity.filter.mini_program")).select_option(
        label=t("activity.filter.all_mini_programs")
    )
    rows = list(csv.DictReader(io.StringIO(_download(at_owner, "activity.export.csv"))))
    assert {row["kind"] for row in rows} >= SCENARIO_KINDS
    joined = next(row for row in rows if row["kind"] == "member.joined")
    assert json.loads(joined["subject"])["email"] == developer.email
    assert joined["actor_id"] == developer.account_id


def test_a_removed_member_is_still_named_in_the_log_and_its_export(
    api: Api, mailbox: Mailbox, person: Callable[[str], Browsing]
) -> None:
    owner, developer, _ = _team_scenario(api, mailbox)
    members = f"/v1/workspaces/{owner.workspace_id}/members"
    api.expect(204, "DELETE", f"{members}/{developer.account_id}", token=owner.token)

    def recorded() -> bool:  # the removal, and the grant it took away
        log = api.expect(
            200, "GET", f"/v1/workspaces/{owner.workspace_id}/activity", token=owner.token
        )
        return {"member.removed", "access.revoked"} <= {entry["kind"] for entry in log["items"]}

    eventually(recorded, what="the removal in the activity log")

    at_owner = person("en")
    page, t = at_owner.page, at_owner.t
    at_owner.log_in(owner.email)
    at_owner.go_to("nav.activity")
    at_owner.heading("activity.title")
    # Li Na is no member any more: the entries name her as they recorded her.
    expect(_rows(page, "member.removed")).to_contain_text(
        t("activity.text.member.removed", actor="Ada Owner", member="Li Na")
    )
    expect(_rows(page, "access.revoked")).to_contain_text(
        t(
            "activity.text.access.revoked",
            actor=t("activity.actor.platform"),
            member="Li Na",
            name="Lunch Orders",
        )
    )
    joined = _rows(page, "member.joined")
    expect(joined.locator("td").nth(1)).to_have_text("Li Na")
    expect(page.locator("tbody")).not_to_contain_text(t.pattern("activity.actor.former"))
    # A decision is the reviewer's, who is named as such and no more.
    expect(_rows(page, "application.decided").locator("td").nth(1)).to_have_text(
        t("activity.actor.reviewer")
    )

    rows = list(csv.DictReader(io.StringIO(_download(at_owner, "activity.export.csv"))))
    by_kind = {row["kind"]: row for row in rows}
    assert (by_kind["member.joined"]["actor_name"], by_kind["member.joined"]["actor_email"]) == (
        "Li Na",
        developer.email,
    )
    removed = json.loads(by_kind["member.removed"]["subject"])
    assert (removed["full_name"], removed["email"]) == ("Li Na", developer.email)
    assert (
        by_kind["member.removed"]["actor_name"],
        by_kind["application.decided"]["actor_kind"],
    ) == (
        "Ada Owner",
        "reviewer",
    )
    assert by_kind["application.decided"]["actor_name"] == ""


def test_the_applicant_reads_the_history_of_their_application_on_the_status_page(
    api: Api, person: Callable[[str], Browsing]
) -> None:
    applicant = api.sign_up("Chen Jie", prefix="applicant")
    company = f"History Co {uuid.uuid4().hex[:6]}"
    application = api.apply(applicant, company)
    api.decide(application["id"], "reject", "The website does not open")
    path = f"/v1/workspace-applications/{application['id']}/activity"
    eventually(
        lambda: len(api.expect(200, "GET", path, token=applicant.token)["items"]) == 2,
        what="the application's submission and decision in its history",
    )

    at_applicant = person("zh-CN")
    page, t = at_applicant.page, at_applicant.t
    at_applicant.log_in(applicant.email)
    history = page.get_by_role("region", name=t("activity.history.title"))
    submitted = history.locator('tr[data-kind="application.submitted"]')
    expect(submitted).to_contain_text(
        t("activity.text.application.submitted", actor=t("activity.actor.you"), company=company)
    )
    decided = history.locator('tr[data-kind="application.decided"]')
    expect(decided).to_contain_text(
        t("activity.text.application.rejected", actor=t("activity.actor.reviewer"), company=company)
    )
    expect(decided).to_contain_text(t("activity.reason", reason="The website does not open"))
    expect(history.locator("tbody tr").first).to_have_attribute("data-kind", "application.decided")
    at_applicant.screenshots("application-history")
