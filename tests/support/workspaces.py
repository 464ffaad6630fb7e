"""Helpers to walk the workspace application as a merchant and a reviewer."""

from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer
from tests.support.bus import wait_until

COMPLETE_FORM = {
    "role": "technical_merchant",
    "company_name": "Acme Mini Apps",
    "website": "https://acme.example.com",
    "contact_number": "+86 21 5555 0100",
    "contact_email": "contact@acme.example.com",
}


async def save_draft(client: TestClient[Any, Any], token: str, **fields: Any) -> dict[str, Any]:
    response = await client.put(
        "/v1/workspace-applications/draft", json=fields, headers=bearer(token)
    )
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def submit(client: TestClient[Any, Any], token: str) -> dict[str, Any]:
    response = await client.post("/v1/workspace-applications/draft/submit", headers=bearer(token))
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def apply(client: TestClient[Any, Any], token: str, **overrides: Any) -> dict[str, Any]:
    """Fill the whole form and submit it; returns the submitted application."""
    await save_draft(client, token, **{**COMPLETE_FORM, **overrides})
    return await submit(client, token)


async def decide(
    client: TestClient[Any, Any],
    reviewer: str,
    application_id: str,
    decision: str,
    reason: str | None = None,
) -> Any:
    return await client.post(
        f"/v1/review/applications/{application_id}/decision",
        json={"decision": decision, "reason": reason},
        headers=bearer(reviewer),
    )


async def active_workspace(client: TestClient[Any, Any], token: str) -> dict[str, Any]:
    """Wait until the caller's workspace is provisioned and active; return it."""
    found: dict[str, Any] = {}

    async def active() -> bool:
        response = await client.get("/v1/workspaces", headers=bearer(token))
        items = (await response.json())["items"]
        if items and items[0]["status"] == "active":
            found.update(items[0])
            return True
        return False

    await wait_until(active, timeout=15)
    return found
