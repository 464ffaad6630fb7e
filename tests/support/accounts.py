"""Helpers to act as a user of the accounts service in tests."""

import uuid
from typing import Any

import pyotp
from aiohttp.test_utils import TestClient

from accounts.domain import Client

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
    enrolled (staff tokens carry the role only then); returns its access token."""
    from accounts.api import SERVICE_KEY
    from accounts.domain import Role
    from accounts.service import MfaChallenge

    email = new_email(role)
    service = client.app[SERVICE_KEY]
    account, _ = await service.create_staff(
        email=email, password=STRONG_PASSWORD, full_name=f"Test {role}", role=Role(role)
    )
    recovery_codes = await enrol_two_factor(client, account.id)
    challenge = await service.log_in(email=email, password=STRONG_PASSWORD)
    assert isinstance(challenge, MfaChallenge)
    signed_in = await service.complete_mfa(
        mfa_token=challenge.mfa_token,
        code=None,
        recovery_code=recovery_codes[0],
        client=Client(address="127.0.0.1", user_agent="tests"),
    )
    return signed_in.tokens.access_token


async def enrol_two_factor(client: TestClient[Any, Any], account_id: str) -> list[str]:
    """Two-factor sign-in on for the account (its first code given now); its recovery codes."""
    from accounts.app import IDENTITY_KEY

    identity = client.app[IDENTITY_KEY]
    enrolment = await identity.start_two_factor(account_id)
    return await identity.confirm_two_factor(account_id, pyotp.TOTP(enrolment.secret).now())


async def merchant_token(client: TestClient[Any, Any], **overrides: Any) -> str:
    token: str = (await sign_up(client, **overrides))["tokens"]["access_token"]
    return token
