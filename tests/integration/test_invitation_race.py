"""Accepts of one invitation racing on two replicas of workspaces: exactly one wins, one member
is added, one member.added event is published; every other accept gets a clear 409."""

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import TEST_MAIL_LINK_KEY
from tests.support.accounts import bearer, new_email, sign_up
from tests.support.bus import events_probe
from tests.support.teams import (
    INVITATION_CREATED,
    accept,
    invite,
    next_invitation,
    owner_with_workspace,
)
from workspaces.app import create_app
from workspaces.settings import WorkspacesSettings

RACERS = 12


async def test_concurrent_accepts_of_one_invitation_let_exactly_one_win(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    rabbitmq_url: str,
) -> None:
    replica: TestClient[Any, Any] = await serve(
        create_app(
            make_settings(
                WorkspacesSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
            )
        )
    )
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    async with events_probe(rabbitmq_url, [INVITATION_CREATED]) as probe:
        assert (await invite(workspaces, owner, workspace["id"], email, "master")).status == 201
        _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    invitee = await sign_up(accounts, email=email)
    access = invitee["tokens"]["access_token"]

    async with events_probe(rabbitmq_url, ["workspace.member.added.v1"]) as added:
        responses = await asyncio.gather(
            *(accept((workspaces, replica)[n % 2], access, token) for n in range(RACERS))
        )
        statuses = sorted(r.status for r in responses)
        assert statuses == [200] + [409] * (RACERS - 1), statuses
        for response in responses:
            if response.status == 409:
                slug = (await response.json())["type"].rsplit("/", 1)[-1]
                assert slug in ("invitation-already-accepted", "already-member")
        event = await added.next_event()
        assert event["data"]["account_id"] == invitee["account"]["id"]
        await added.assert_empty(wait=1.0)

    members = await (
        await workspaces.get(f"/v1/workspaces/{workspace['id']}/members", headers=bearer(owner))
    ).json()
    ids = [m["account_id"] for m in members["items"]]
    assert ids.count(invitee["account"]["id"]) == 1
