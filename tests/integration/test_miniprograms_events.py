"""Membership reaches miniprograms through the real workspace events; its events go out."""

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from miniprograms.api import SERVICE_KEY
from shared.contracts.workspaces import WorkspaceMemberAddedV1, WorkspaceMemberRemovedV1
from shared.events import new_event
from shared.mongo import utc_now
from tests.support.accounts import bearer, new_email, sign_up, staff_token
from tests.support.bus import events_probe, wait_until
from tests.support.miniprograms import create, grant, mini_program_form
from tests.support.workspaces import active_workspace, apply, decide


async def test_owner_and_added_master_create_once_the_workspace_events_arrive(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    miniprograms: TestClient[Any, Any],
    rabbitmq_url: str,
) -> None:
    owner = (await sign_up(accounts))["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")
    await decide(workspaces, reviewer, (await apply(workspaces, owner))["id"], "approve")
    workspace = (await active_workspace(workspaces, owner))["id"]
    names = iter(f"Program {i}" for i in range(100))

    async def creates(token: str) -> bool:
        return (await create(miniprograms, token, workspace, name=next(names))).status == 201

    async with events_probe(rabbitmq_url, ["miniprogram.#"]) as probe:
        await wait_until(lambda: creates(owner), timeout=15)
        created = await probe.next_event()
        program = created["data"]["mini_program_id"]
        modified = await miniprograms.put(
            f"/v1/mini-programs/{program}",
            data=mini_program_form(workspace, name="Renamed 程序"),
            headers=bearer(owner),
        )
        assert modified.status == 200
        updated = await probe.next_event()

    assert created["type"] == "miniprogram.created.v1"
    assert created["data"]["workspace_id"] == workspace
    assert created["data"]["target"] == "alipay_cn"
    assert updated["type"] == "miniprogram.updated.v1"
    assert (updated["data"]["mini_program_id"], updated["data"]["name"]) == (
        program,
        "Renamed 程序",
    )

    master_email = new_email("master")
    master = (await sign_up(accounts, email=master_email))["tokens"]["access_token"]
    assert (await create(miniprograms, master, workspace, name="Too early")).status == 404

    async def added() -> bool:
        response = await workspaces.post(
            f"/v1/workspaces/{workspace}/members",
            json={"email": master_email, "role": "master"},
            headers=bearer(owner),
        )
        return response.status == 201

    await wait_until(added, timeout=15)
    await wait_until(lambda: creates(master), timeout=15)


async def test_a_late_older_membership_event_does_not_undo_a_newer_one(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any]
) -> None:
    owner = await sign_up(accounts)
    member = await sign_up(accounts)
    workspace = "ws-order"
    await grant(miniprograms, workspace, owner["account"]["id"], "owner")
    service = miniprograms.app[SERVICE_KEY]
    account_id = member["account"]["id"]
    added = new_event(
        WorkspaceMemberAddedV1(
            workspace_id=workspace,
            account_id=account_id,
            email="m@x.example",
            role="master",
            added_at=utc_now(),
        ),
        producer="workspaces",
    )
    removed = new_event(
        WorkspaceMemberRemovedV1(
            workspace_id=workspace, account_id=account_id, removed_at=utc_now()
        ),
        producer="workspaces",
    )
    removed = removed.model_copy(update={"occurred_at": added.occurred_at + timedelta(seconds=1)})

    await service.on_workspace_event(removed)  # the newer event arrives first
    await service.on_workspace_event(added)
    await service.on_workspace_event(added)  # and a redelivery

    token = member["tokens"]["access_token"]
    assert (await create(miniprograms, token, workspace, name="Not a member")).status == 404
