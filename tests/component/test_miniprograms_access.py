"""Per-mini-program access: a developer sees, reads and modifies only the mini programs granted
to them, never creates; owners and masters grant and revoke; leaving the workspace or becoming
a master takes the grants away; another workspace's grants are 404."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from miniprograms.api import SERVICE_KEY
from shared.contracts.workspaces import WorkspaceMemberRemovedV1, WorkspaceMemberRoleChangedV1
from shared.events import new_event
from tests.support.accounts import bearer, sign_up
from tests.support.bus import Probe, events_probe
from tests.support.miniprograms import create, grant, mini_program_form

ACCESS_EVENTS = ["miniprogram.access.granted.v1", "miniprogram.access.revoked.v1"]


async def _person(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any], workspace: str, role: str
) -> dict[str, str]:
    session = await sign_up(accounts)
    await grant(miniprograms, workspace, session["account"]["id"], role)
    return {"token": session["tokens"]["access_token"], "id": session["account"]["id"]}


@pytest.fixture
async def team(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any]
) -> dict[str, Any]:
    """A workspace with an owner, a master, a developer and two mini programs."""
    workspace = str(uuid.uuid4())
    owner = await _person(accounts, miniprograms, workspace, "owner")
    team: dict[str, Any] = {
        "workspace": workspace,
        "owner": owner,
        "master": await _person(accounts, miniprograms, workspace, "master"),
        "developer": await _person(accounts, miniprograms, workspace, "developer"),
    }
    for key, name in (("first", "Acme 点餐"), ("second", "Acme 外卖")):
        response = await create(miniprograms, owner["token"], workspace, name=name)
        assert response.status == 201, await response.text()
        team[key] = (await response.json())["id"]
    return team


@pytest.fixture
async def probe(rabbitmq_url: str) -> AsyncIterator[Probe]:
    async with events_probe(rabbitmq_url, ACCESS_EVENTS) as probe:
        yield probe


def _developers(mini_program_id: str, account_id: str = "") -> str:
    return f"/v1/mini-programs/{mini_program_id}/developers" + (
        f"/{account_id}" if account_id else ""
    )


async def _visible(miniprograms: TestClient[Any, Any], token: str, workspace: str) -> list[str]:
    response = await miniprograms.get(
        "/v1/mini-programs", params={"workspace_id": workspace}, headers=bearer(token)
    )
    assert response.status == 200, await response.text()
    return [item["id"] for item in (await response.json())["items"]]


async def test_a_developer_sees_reads_and_modifies_only_what_is_granted_and_never_creates(
    miniprograms: TestClient[Any, Any], team: dict[str, Any], probe: Probe
) -> None:
    dev = team["developer"]
    first = team["first"]
    assert await _visible(miniprograms, dev["token"], team["workspace"]) == []
    before = await miniprograms.get(f"/v1/mini-programs/{first}", headers=bearer(dev["token"]))
    assert before.status == 404

    granted = await miniprograms.put(
        _developers(first, dev["id"]), headers=bearer(team["owner"]["token"])
    )
    assert granted.status == 200, await granted.text()
    assert (await granted.json())["items"] == [{"account_id": dev["id"]}]
    event = await probe.next_event()
    assert event["type"] == "miniprogram.access.granted.v1"
    assert (event["data"]["account_id"], event["data"]["granted_by"]) == (
        dev["id"],
        team["owner"]["id"],
    )
    again = await miniprograms.put(
        _developers(first, dev["id"]), headers=bearer(team["owner"]["token"])
    )
    assert again.status == 200
    await probe.assert_empty()  # granting again is no new event

    assert await _visible(miniprograms, dev["token"], team["workspace"]) == [first]
    read = await miniprograms.get(f"/v1/mini-programs/{first}", headers=bearer(dev["token"]))
    assert read.status == 200
    modified = await miniprograms.put(
        f"/v1/mini-programs/{first}",
        data=mini_program_form(team["workspace"], name="Acme 午餐"),
        headers=bearer(dev["token"]),
    )
    assert modified.status == 200, await modified.text()
    other = await miniprograms.get(
        f"/v1/mini-programs/{team['second']}", headers=bearer(dev["token"])
    )
    assert other.status == 404
    created = await create(miniprograms, dev["token"], team["workspace"], name="Dev 自建")
    assert created.status == 403
    listed = await miniprograms.get(_developers(first), headers=bearer(dev["token"]))
    assert (await listed.json())["items"] == [{"account_id": dev["id"]}]

    revoked = await miniprograms.delete(
        _developers(first, dev["id"]), headers=bearer(team["master"]["token"])
    )
    assert revoked.status == 204
    event = await probe.next_event()
    assert (event["type"], event["data"]["reason"]) == ("miniprogram.access.revoked.v1", "revoked")
    assert await _visible(miniprograms, dev["token"], team["workspace"]) == []
    after = await miniprograms.get(f"/v1/mini-programs/{first}", headers=bearer(dev["token"]))
    assert after.status == 404


async def test_only_owners_and_masters_grant_and_only_to_developers_of_the_workspace(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any], team: dict[str, Any]
) -> None:
    first, dev = team["first"], team["developer"]
    outsider = (await sign_up(accounts))["account"]["id"]
    owner = bearer(team["owner"]["token"])

    by_master = await miniprograms.put(
        _developers(first, dev["id"]), headers=bearer(team["master"]["token"])
    )
    assert by_master.status == 200
    by_developer = await miniprograms.put(
        _developers(first, dev["id"]), headers=bearer(dev["token"])
    )
    assert by_developer.status == 403
    revoke_by_developer = await miniprograms.delete(
        _developers(first, dev["id"]), headers=bearer(dev["token"])
    )
    assert revoke_by_developer.status == 403
    to_outsider = await miniprograms.put(_developers(first, outsider), headers=owner)
    assert to_outsider.status == 404
    to_master = await miniprograms.put(_developers(first, team["master"]["id"]), headers=owner)
    assert to_master.status == 409
    assert (await to_master.json())["type"].endswith("/not-a-developer")


async def test_another_workspaces_grants_are_404(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any], team: dict[str, Any]
) -> None:
    elsewhere = await _person(accounts, miniprograms, str(uuid.uuid4()), "owner")
    stranger = bearer(elsewhere["token"])
    dev = team["developer"]["id"]

    for method, path in (
        ("GET", _developers(team["first"])),
        ("PUT", _developers(team["first"], dev)),
        ("DELETE", _developers(team["first"], dev)),
    ):
        response = await miniprograms.request(method, path, headers=stranger)
        assert response.status == 404, (method, path, await response.text())
    listed = await miniprograms.get(
        _developers(team["first"]), headers=bearer(team["owner"]["token"])
    )
    assert (await listed.json())["items"] == []


async def _workspace_event(miniprograms: TestClient[Any, Any], payload: Any) -> None:
    await miniprograms.app[SERVICE_KEY].on_workspace_event(
        new_event(payload, producer="workspaces")
    )


async def test_leaving_the_workspace_or_becoming_master_takes_every_grant_away(
    accounts: TestClient[Any, Any],
    miniprograms: TestClient[Any, Any],
    team: dict[str, Any],
    probe: Probe,
) -> None:
    owner, workspace = bearer(team["owner"]["token"]), team["workspace"]
    leaver = team["developer"]
    promoted = await _person(accounts, miniprograms, workspace, "developer")
    for person in (leaver, promoted):
        for mini_program in (team["first"], team["second"]):
            response = await miniprograms.put(
                _developers(mini_program, person["id"]), headers=owner
            )
            assert response.status == 200
    for _ in range(4):
        await probe.next_event()
    now = datetime.now(UTC)

    await _workspace_event(
        miniprograms,
        WorkspaceMemberRemovedV1(workspace_id=workspace, account_id=leaver["id"], removed_at=now),
    )
    await _workspace_event(
        miniprograms,
        WorkspaceMemberRoleChangedV1(
            workspace_id=workspace, account_id=promoted["id"], role="master", changed_at=now
        ),
    )

    revoked = [await probe.next_event() for _ in range(4)]
    reasons = {(e["data"]["account_id"], e["data"]["reason"]) for e in revoked}
    assert reasons == {(leaver["id"], "member_removed"), (promoted["id"], "role_changed")}
    assert all(e["data"]["revoked_by"] is None for e in revoked)
    for mini_program in (team["first"], team["second"]):
        listed = await miniprograms.get(_developers(mini_program), headers=owner)
        assert (await listed.json())["items"] == []
    # Made a developer again, they start with nothing.
    await _workspace_event(
        miniprograms,
        WorkspaceMemberRoleChangedV1(
            workspace_id=workspace, account_id=promoted["id"], role="developer", changed_at=now
        ),
    )
    assert await _visible(miniprograms, promoted["token"], workspace) == []


async def _granted_to(
    miniprograms: TestClient[Any, Any], token: str, *, workspace: str, developer: str
) -> Any:
    return await miniprograms.get(
        "/v1/mini-programs",
        params={"workspace_id": workspace, "developer_id": developer},
        headers=bearer(token),
    )


async def test_one_members_grants_are_listed_for_owners_masters_and_themselves_only(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any], team: dict[str, Any]
) -> None:
    workspace, dev = team["workspace"], team["developer"]
    other = await _person(accounts, miniprograms, workspace, "developer")
    owner = team["owner"]["token"]
    for mini_program, person in ((team["first"], dev), (team["second"], other)):
        response = await miniprograms.put(
            _developers(mini_program, person["id"]), headers=bearer(owner)
        )
        assert response.status == 200

    for viewer in (owner, team["master"]["token"], dev["token"]):
        listed = await _granted_to(miniprograms, viewer, workspace=workspace, developer=dev["id"])
        assert listed.status == 200, await listed.text()
        page = await listed.json()
        assert [i["id"] for i in page["items"]] == [team["first"]]
        assert page["quota"] == {"used": 2, "limit": 10}
    # The owner and masters see every mini program and hold no grant.
    of_master = await _granted_to(
        miniprograms, owner, workspace=workspace, developer=team["master"]["id"]
    )
    assert (await of_master.json())["items"] == []

    # A developer does not see another developer's grants.
    theirs = await _granted_to(
        miniprograms, dev["token"], workspace=workspace, developer=other["id"]
    )
    assert theirs.status == 403
    assert "another member's grants" in (await theirs.json())["detail"]
    # Someone outside the workspace has no grants in it to list.
    outsider = (await sign_up(accounts))["account"]["id"]
    nobody = await _granted_to(miniprograms, owner, workspace=workspace, developer=outsider)
    assert nobody.status == 404


async def test_another_workspaces_member_grants_are_404_to_a_stranger_and_across_workspaces(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any], team: dict[str, Any]
) -> None:
    elsewhere_id = str(uuid.uuid4())
    elsewhere = await _person(accounts, miniprograms, elsewhere_id, "owner")
    dev = team["developer"]["id"]
    granted = await miniprograms.put(
        _developers(team["first"], dev), headers=bearer(team["owner"]["token"])
    )
    assert granted.status == 200

    # A's developer through B's owner: A's workspace is not B's to ask about...
    stranger = await _granted_to(
        miniprograms, elsewhere["token"], workspace=team["workspace"], developer=dev
    )
    assert stranger.status == 404
    # ...and through B's own workspace, A's developer is nobody there.
    across = await _granted_to(
        miniprograms, elsewhere["token"], workspace=elsewhere_id, developer=dev
    )
    assert across.status == 404
    unknown = await _granted_to(
        miniprograms, elsewhere["token"], workspace=str(uuid.uuid4()), developer=dev
    )
    body = {k: v for k, v in (await stranger.json()).items() if k != "request_id"}
    assert body == {k: v for k, v in (await unknown.json()).items() if k != "request_id"}
