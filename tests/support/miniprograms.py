"""Helpers to act on the miniprograms service in tests."""

import uuid
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from miniprograms.api import SERVICE_KEY
from shared.contracts.workspaces import WorkspaceCreatedV1, WorkspaceMemberAddedV1
from shared.events import new_event
from tests.support.accounts import bearer
from tests.support.images import image_bytes

VALID = {
    "target": "alipay_cn",
    "name": "Acme 点餐",
    "tagline": "Order lunch in two taps",
    "description": "Acme lets office workers order lunch from nearby restaurants.",
    "industry": "food.restaurant",
    "service_phone": "0571-8888888",
    "service_email": "service@acme.example.com",
}


def mini_program_form(
    workspace_id: str, *, logo: bytes | None = None, logo_name: str = "logo.png", **fields: Any
) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in {"workspace_id": workspace_id, **VALID, **fields}.items():
        if value is not None:
            form.add_field(name, value)
    form.add_field(
        "logo",
        image_bytes("PNG", 128, 128) if logo is None else logo,
        filename=logo_name,
        content_type="image/png",
    )
    return form


async def create(client: TestClient[Any, Any], token: str, workspace_id: str, **fields: Any) -> Any:
    return await client.post(
        "/v1/mini-programs", data=mini_program_form(workspace_id, **fields), headers=bearer(token)
    )


async def grant(
    client: TestClient[Any, Any], workspace_id: str, account_id: str, role: str
) -> None:
    """Give the projection a membership as the workspace events would."""
    service = client.app[SERVICE_KEY]
    now = datetime.now(UTC)
    if role == "owner":
        payload: Any = WorkspaceCreatedV1(
            workspace_id=workspace_id,
            name="Acme",
            owner_account_id=account_id,
            owner_email="owner@acme.example",
            application_id=str(uuid.uuid4()),
            created_at=now,
        )
    else:
        payload = WorkspaceMemberAddedV1(
            workspace_id=workspace_id,
            account_id=account_id,
            email="m@acme.example",
            role=role,
            added_at=now,
        )
    await service.on_workspace_event(new_event(payload, producer="workspaces"))
