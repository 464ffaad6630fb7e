"""A logout reaches every service: another service refuses the session's access token within
seconds (measured), every replica does, and a replica started after the logout knows it too
(it reads the revocations of the last access-token lifetime when it starts)."""

import time
from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer, sign_up
from tests.support.bus import wait_until
from workspaces.app import create_app as create_workspaces_app
from workspaces.settings import WorkspacesSettings

# What "within seconds" means here: the relay publishes at once, the stream delivers at once.
REFUSED_WITHIN_S = 3.0


async def _status(workspaces: TestClient[Any, Any], token: str) -> int:
    response = await workspaces.get("/v1/workspaces", headers=bearer(token))
    return response.status


async def _ready(client: TestClient[Any, Any]) -> bool:
    return (await client.get("/readyz")).status == 200


async def test_after_logout_another_service_refuses_the_access_token_within_seconds(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
) -> None:
    settings = make_settings(
        WorkspacesSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
    )
    replica: TestClient[Any, Any] = await serve(create_workspaces_app(settings))
    for client in (accounts, workspaces, replica):
        await wait_until(lambda c=client: _ready(c), timeout=20)
    tokens = (await sign_up(accounts))["tokens"]
    other = (await sign_up(accounts))["tokens"]
    assert await _status(workspaces, tokens["access_token"]) == 200

    logged_out_at = time.perf_counter()
    logout = await accounts.delete(
        "/v1/sessions/current", json={"refresh_token": tokens["refresh_token"]}
    )
    assert logout.status == 204
    await wait_until(
        lambda: _refused_by(workspaces, tokens["access_token"]), timeout=10, interval=0.02
    )
    took_s = time.perf_counter() - logged_out_at
    print(f"logout to refusal by another service: {took_s * 1000:.0f} ms")

    assert took_s < REFUSED_WITHIN_S
    await wait_until(lambda: _refused_by(replica, tokens["access_token"]), timeout=5)
    assert await _status(workspaces, other["access_token"]) == 200  # only that session

    # A replica that starts now learns the revocation from the stream's recent past.
    late: TestClient[Any, Any] = await serve(create_workspaces_app(settings))
    await wait_until(lambda: _ready(late), timeout=20)
    await wait_until(lambda: _refused_by(late, tokens["access_token"]), timeout=5)
    assert await _status(late, other["access_token"]) == 200


async def _refused_by(service: TestClient[Any, Any], token: str) -> bool:
    return await _status(service, token) == 401
