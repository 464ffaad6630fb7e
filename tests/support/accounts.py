"""Helpers to act as a user of the accounts service in tests."""

import json
import uuid
from typing import Any

import pyotp
from aiohttp.test_utils import TestClient

from shared.runtime import DB_KEY

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
    """A staff account made the way the operator command makes it, with two-factor sign-in
    enrolled (staff tokens carry the role only then), logged in with a recovery code; returns
    its access token."""
    from accounts.api import SERVICE_KEY
    from accounts.domain import Role

    email = new_email(role)
    account, _ = await client.app[SERVICE_KEY].create_staff(
        email=email, password=STRONG_PASSWORD, full_name=f"Test {role}", role=Role(role)
    )
    recovery_codes = await enrol_two_factor(client, account.id)
    session = await log_in_with_second_factor(client, email, recovery_code=recovery_codes[0])
    token: str = session["tokens"]["access_token"]
    return token


async def log_in_with_second_factor(
    client: TestClient[Any, Any],
    email: str,
    *,
    code: str | None = None,
    recovery_code: str | None = None,
) -> dict[str, Any]:
    """Both steps of a login with two-factor sign-in on; the session answered."""
    response = await client.post("/v1/sessions", json={"email": email, "password": STRONG_PASSWORD})
    assert response.status == 202, await response.text()
    challenge = await response.json()
    second = {"code": code} if code is not None else {"recovery_code": recovery_code}
    response = await client.post(
        "/v1/sessions/mfa", json={"mfa_token": challenge["mfa_token"], **second}
    )
    assert response.status == 200, await response.text()
    session: dict[str, Any] = await response.json()
    return session


async def enrol_two_factor(client: TestClient[Any, Any], account_id: str) -> list[str]:
    """Two-factor sign-in on for the account (its first code given now); its recovery codes."""
    from accounts.api import IDENTITY_KEY

    identity = client.app[IDENTITY_KEY]
    enrolment = await identity.start_two_factor(account_id)
    codes: list[str] = await identity.confirm_two_factor(
        account_id, pyotp.TOTP(enrolment.secret).now()
    )
    return codes


async def database_text(client: TestClient[Any, Any]) -> str:
    """Every document of every collection of the service's database, as one text: to check
    that a secret is stored nowhere in clear."""
    db = client.app[DB_KEY]
    stored = ""
    for name in await db.list_collection_names():
        stored += json.dumps([doc async for doc in db[name].find({})], default=str)
    return stored


async def merchant_token(client: TestClient[Any, Any], **overrides: Any) -> str:
    token: str = (await sign_up(client, **overrides))["tokens"]["access_token"]
    return token
