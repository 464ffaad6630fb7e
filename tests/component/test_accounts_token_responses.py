"""Answers that carry tokens are never kept by a cache (RFC 6749 section 5.1)."""

from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from tests.support.accounts import STRONG_PASSWORD, sign_up, signup_body


def assert_not_cacheable(response: ClientResponse) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"


async def test_signup_tokens_are_not_cacheable(accounts: TestClient[Any, Any]) -> None:
    response = await accounts.post("/v1/accounts", json=signup_body())

    assert response.status == 201
    assert_not_cacheable(response)


async def test_login_tokens_are_not_cacheable(accounts: TestClient[Any, Any]) -> None:
    email = (await sign_up(accounts))["account"]["email"]

    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": STRONG_PASSWORD}
    )

    assert response.status == 200
    assert_not_cacheable(response)


async def test_refreshed_tokens_are_not_cacheable(accounts: TestClient[Any, Any]) -> None:
    refresh_token = (await sign_up(accounts))["tokens"]["refresh_token"]

    response = await accounts.post("/v1/sessions/refresh", json={"refresh_token": refresh_token})

    assert response.status == 200
    assert_not_cacheable(response)
