"""Helpers for workspace teams: an owner with an active workspace, invitations and their
tokens (opened from the sealed event, as the notifier opens them)."""

from typing import Any

from aiohttp.test_utils import TestClient

from shared.sealing import Sealer
from tests.support.accounts import bearer, sign_up, staff_token
from tests.support.bus import Probe, wait_until
from tests.support.workspaces import active_workspace, apply, decide

INVITATION_CREATED = "workspace.invitation.created.v1"


async def owner_with_workspace(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], **form: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A signed-up merchant whose application was approved: (their signup, the workspace)."""
    owner = await sign_up(accounts)
    token = owner["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")
    application = await apply(workspaces, token, **form)
    assert (await decide(workspaces, reviewer, application["id"], "approve")).status == 200
    return owner, await active_workspace(workspaces, token)


async def invite(
    workspaces: TestClient[Any, Any], owner: str, workspace_id: str, email: str, role: str
) -> Any:
    return await workspaces.post(
        f"/v1/workspaces/{workspace_id}/invitations",
        json={"email": email, "role": role},
        headers=bearer(owner),
    )


async def accept(workspaces: TestClient[Any, Any], token: str, invitation_token: str) -> Any:
    return await workspaces.post(
        "/v1/invitations/accept", json={"token": invitation_token}, headers=bearer(token)
    )


async def next_invitation(probe: Probe, key: str) -> tuple[dict[str, Any], str]:
    """The next invitation event published, and its token opened with the tests' key."""
    event = await probe.next_event()
    assert event["type"] == INVITATION_CREATED
    return event, Sealer([key]).unseal(event["data"]["sealed_token"])


async def become_member(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    *,
    owner: str,
    workspace_id: str,
    role: str,
) -> dict[str, Any]:
    """A new account the owner adds directly (once the directory knows it); its signup."""
    member = await sign_up(accounts)

    async def added() -> bool:
        response = await workspaces.post(
            f"/v1/workspaces/{workspace_id}/members",
            json={"email": member["account"]["email"], "role": role},
            headers=bearer(owner),
        )
        return response.status == 201

    await wait_until(added, timeout=15)
    return member
