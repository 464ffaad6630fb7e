"""The activity log over a whole scripted team scenario, through the real bus: every change
recorded once, with who, what, when and the before/after; members read it (filtered, paged,
exported), strangers get 404, the applicant reads their application's history."""

import csv
import io
import json
from typing import Any

from aiohttp.test_utils import TestClient

from shared.runtime import DB_KEY
from tests.conftest import TEST_MAIL_LINK_KEY
from tests.support.accounts import bearer, new_email, sign_up
from tests.support.bus import events_probe, wait_until
from tests.support.miniprograms import create, mini_program_form
from tests.support.teams import (
    INVITATION_CREATED,
    accept,
    become_member,
    invite,
    next_invitation,
    owner_with_workspace,
)
from workspaces.store import AccountsDirectory

# The whole scenario's entries, oldest first: (kind, what the test knows of the subject).
SCENARIO_KINDS = [
    "application.submitted",
    "application.decided",
    "workspace.created",
    "member.added",  # the developer, added directly
    "member.invited",
    "member.joined",  # the invitee, by accepting
    "member.role_changed",  # the invitee made developer
    "mini_program.created",
    "access.granted",
    "mini_program.modified",  # by the developer, with the grant
    "access.revoked",
    "member.removed",  # the invitee removed: no grants left to take
]


async def _log(workspaces: TestClient[Any, Any], token: str, path: str, **params: Any) -> Any:
    response = await workspaces.get(path, params=params, headers=bearer(token))
    assert response.status == 200, await response.text()
    return response


async def test_a_whole_team_scenario_is_in_the_log_once_newest_first_with_before_and_after(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    miniprograms: TestClient[Any, Any],
    rabbitmq_url: str,
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner, owner_id, ws = (
        owner_signup["tokens"]["access_token"],
        owner_signup["account"]["id"],
        workspace["id"],
    )
    developer = await become_member(
        accounts, workspaces, owner=owner, workspace_id=ws, role="developer"
    )
    dev, dev_id = developer["tokens"]["access_token"], developer["account"]["id"]
    invitee_email = new_email("invitee")
    async with events_probe(rabbitmq_url, [INVITATION_CREATED]) as probe:
        assert (await invite(workspaces, owner, ws, invitee_email, "master")).status == 201
        _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    invitee = await sign_up(accounts, email=invitee_email, full_name="Ines Invitee")
    invitee_id = invitee["account"]["id"]
    directory = AccountsDirectory(workspaces.app[DB_KEY])

    async def known() -> bool:  # as a few seconds between signing up and accepting would
        return await directory.account(invitee_id) is not None

    await wait_until(known, timeout=15)
    assert (await accept(workspaces, invitee["tokens"]["access_token"], token)).status == 200
    members = f"/v1/workspaces/{ws}/members"
    changed = await workspaces.patch(
        f"{members}/{invitee_id}", json={"role": "developer"}, headers=bearer(owner)
    )
    assert changed.status == 200

    async def created() -> Any:
        response = await create(miniprograms, owner, ws)
        return response if response.status == 201 else None

    program: dict[str, Any] = {}

    async def create_once_projected() -> bool:
        if (response := await created()) is not None:
            program.update(await response.json())
        return bool(program)

    await wait_until(create_once_projected, timeout=15)
    grant_path = f"/v1/mini-programs/{program['id']}/developers/{dev_id}"

    async def granted() -> bool:  # once miniprograms knows the developer
        return (await miniprograms.put(grant_path, headers=bearer(owner))).status == 200

    await wait_until(granted, timeout=15)
    modified = await miniprograms.put(
        f"/v1/mini-programs/{program['id']}",
        data=mini_program_form(ws, tagline="Lunch ordered in two taps"),
        headers=bearer(dev),
    )
    assert modified.status == 200, await modified.text()
    assert (await miniprograms.delete(grant_path, headers=bearer(owner))).status == 204
    assert (await workspaces.delete(f"{members}/{invitee_id}", headers=bearer(owner))).status == 204

    activity = f"/v1/workspaces/{ws}/activity"

    async def complete() -> bool:
        page = await (await _log(workspaces, owner, activity, limit=100)).json()
        return len(page["items"]) >= len(SCENARIO_KINDS)

    await wait_until(complete, timeout=20)
    page = await (await _log(workspaces, dev, activity, limit=100)).json()  # any member reads
    items = page["items"]
    assert [item["kind"] for item in reversed(items)] == SCENARIO_KINDS
    assert len({item["id"] for item in items}) == len(items)  # each event once
    times = [item["occurred_at"] for item in items]
    assert times == sorted(times, reverse=True)
    by_kind = {item["kind"]: item for item in items}
    assert by_kind["member.invited"]["actor_id"] == owner_id
    assert by_kind["member.invited"]["subject"]["email"] == invitee_email
    assert token not in json.dumps(items)  # the link's token is never logged
    assert by_kind["member.joined"]["actor_id"] == invitee_id
    assert by_kind["member.role_changed"]["changes"] == [
        {"field": "role", "before": "master", "after": "developer"}
    ]
    assert by_kind["member.removed"]["changes"] == [
        {"field": "role", "before": "developer", "after": None}
    ]
    assert by_kind["access.granted"]["subject"]["account_id"] == dev_id
    assert by_kind["mini_program.modified"]["actor_id"] == dev_id
    assert by_kind["mini_program.modified"]["changes"] == [
        {
            "field": "tagline",
            "before": "Order lunch in two taps",
            "after": "Lunch ordered in two taps",
        }
    ]
    assert by_kind["application.decided"]["subject"]["decision"] == "approve"
    # People are named as they were when recorded, the removed invitee too; a reviewer is
    # the reviewer, unnamed; the platform's own steps have no actor.
    removed = by_kind["member.removed"]
    assert (removed["subject"]["full_name"], removed["subject"]["email"]) == (
        "Ines Invitee",
        invitee_email,
    )
    assert (removed["actor_kind"], removed["actor_email"]) == (
        "person",
        owner_signup["account"]["email"],
    )
    joined = by_kind["member.joined"]
    assert (joined["actor_name"], joined["actor_email"]) == ("Ines Invitee", invitee_email)
    assert by_kind["access.granted"]["subject"]["email"] == developer["account"]["email"]
    assert by_kind["mini_program.modified"]["actor_email"] == developer["account"]["email"]
    decided = by_kind["application.decided"]
    assert (decided["actor_kind"], decided["actor_name"], decided["actor_email"]) == (
        "reviewer",
        None,
        None,
    )
    assert (
        by_kind["workspace.created"]["actor_kind"],
        by_kind["workspace.created"]["actor_name"],
    ) == (
        "platform",
        None,
    )

    # Filters, paging, exports.
    grants = await (await _log(workspaces, owner, activity, kind="access.granted")).json()
    assert [i["kind"] for i in grants["items"]] == ["access.granted"]
    about_program = await (
        await _log(workspaces, owner, activity, mini_program_id=program["id"])
    ).json()
    assert [i["kind"] for i in about_program["items"]] == [
        "access.revoked",
        "mini_program.modified",
        "access.granted",
        "mini_program.created",
    ]
    first = await (await _log(workspaces, owner, activity, limit=5)).json()
    second = await (
        await _log(workspaces, owner, activity, limit=100, cursor=first["next_cursor"])
    ).json()
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in items]
    assert second["next_cursor"] is None

    lines = await _log(workspaces, owner, activity, format="jsonl")
    assert lines.headers["Content-Type"].startswith("application/x-ndjson")
    exported = [json.loads(line) for line in (await lines.text()).splitlines()]
    assert exported == items
    table = await _log(workspaces, owner, activity, format="csv")
    assert table.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in table.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(await table.text())))
    assert [row["kind"] for row in rows] == [item["kind"] for item in items]
    assert json.loads(rows[0]["changes"]) == items[0]["changes"]
    assert [(row["actor_kind"], row["actor_email"]) for row in rows] == [
        (item["actor_kind"], item["actor_email"] or "") for item in items
    ]

    # The applicant's own application history; nobody else's.
    application_id = by_kind["application.submitted"]["application_id"]
    history = await (
        await _log(workspaces, owner, f"/v1/workspace-applications/{application_id}/activity")
    ).json()
    assert [i["kind"] for i in history["items"]] == [
        "workspace.created",
        "application.decided",
        "application.submitted",
    ]
    stranger = (await sign_up(accounts))["tokens"]["access_token"]
    for path in (activity, f"/v1/workspace-applications/{application_id}/activity"):
        response = await workspaces.get(path, headers=bearer(stranger))
        assert response.status == 404, path
    # Nothing edits or deletes the log.
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        response = await workspaces.request(method, activity, headers=bearer(owner))
        assert response.status == 405, method
