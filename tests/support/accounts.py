"""Helpers to act as a user of the accounts service in tests."""

import uuid
from typing import Any

from aiohttp.test_utils import TestClient

STRONG_PASSWORD = "correct horse battery staple"


def new_email(prefix: str = "merchant") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def signup_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "email": new_email(),
        "password": STRONG_PASSWORD,
        "full_name": "Ada Merchant",
        "accept_terms": True,
    }
    body.update(overrides)
    return body


async def sign_up(client: TestClient[Any, Any], **overrides: Any) -> dict[str, Any]:
    response = await client.post("/v1/accounts", json=signup_body(**overrides))
    assert response.status == 201, await response.text()
    result: dict[str, Any] = await response.json()
    return result


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def staff_token(client: TestClient[Any, Any], role: str) -> str:
    """A staff account made the way the operator command makes it; returns its access token."""
    from accounts.api import SERVICE_KEY
    from accounts.domain import Role

    email = new_email(role)
    await client.app[SERVICE_KEY].create_staff(
        email=email, password=STRONG_PASSWORD, full_name=f"Test {role}", role=Role(role)
    )
    response = await client.post("/v1/sessions", json={"email": email, "password": STRONG_PASSWORD})
    assert response.status == 200, await response.text()
    token: str = (await response.json())["tokens"]["access_token"]
    return token


async def merchant_token(client: TestClient[Any, Any], **overrides: Any) -> str:
    token: str = (await sign_up(client, **overrides))["tokens"]["access_token"]
    return token
