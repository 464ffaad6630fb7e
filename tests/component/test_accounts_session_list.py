"""The sessions a user sees (created, last used, client address, user agent, the current one)
and ends, one or all but the current; the password change that ends the others."""

from typing import Any

import jwt
from aiohttp.test_utils import TestClient

from tests.support.accounts import STRONG_PASSWORD, bearer, new_email, sign_up
from tests.support.bus import wait_until

NEW_PASSWORD = "a brand new passphrase"


async def _log_in(accounts: TestClient[Any, Any], email: str, agent: str) -> Any:
    response = await accounts.post(
        "/v1/sessions",
        json={"email": email, "password": STRONG_PASSWORD},
        headers={"User-Agent": agent},
    )
    assert response.status == 200
    return await response.json()


async def _refreshes(accounts: TestClient[Any, Any], session: Any) -> bool:
    response = await accounts.post(
        "/v1/sessions/refresh", json={"refresh_token": session["tokens"]["refresh_token"]}
    )
    return response.status == 200


async def test_the_sessions_are_listed_with_their_client_and_the_current_one_marked(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)
    laptop = await _log_in(accounts, email, "Firefox on the laptop")
    await _log_in(accounts, email, "Safari on the phone")

    response = await accounts.get("/v1/sessions", headers=bearer(laptop["tokens"]["access_token"]))

    items = (await response.json())["items"]
    assert len(items) == 3  # the signup's, the laptop's, the phone's
    current = [item for item in items if item["current"]]
    assert [item["id"] for item in current] == [laptop["session_id"]]
    assert current[0]["user_agent"] == "Firefox on the laptop"
    assert current[0]["client_address"] == "127.0.0.1"
    assert {"created_at", "last_used_at"} <= set(current[0])
    claims = jwt.decode(laptop["tokens"]["access_token"], options={"verify_signature": False})
    assert claims["sid"] == laptop["session_id"]


async def test_ending_a_session_stops_its_refresh_and_its_access_tokens(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)
    mine = await _log_in(accounts, email, "mine")
    other = await _log_in(accounts, email, "other")
    access = bearer(mine["tokens"]["access_token"])

    ended = await accounts.delete(f"/v1/sessions/{other['session_id']}", headers=access)
    again = await accounts.delete(f"/v1/sessions/{other['session_id']}", headers=access)

    assert (ended.status, again.status) == (204, 404)
    assert not await _refreshes(accounts, other)
    assert await _refreshes(accounts, mine)

    async def other_refused() -> bool:
        me = await accounts.get("/v1/accounts/me", headers=bearer(other["tokens"]["access_token"]))
        return me.status == 401

    await wait_until(other_refused, timeout=10)


async def test_another_accounts_session_cannot_be_ended(accounts: TestClient[Any, Any]) -> None:
    victim = await sign_up(accounts)
    attacker = bearer((await sign_up(accounts))["tokens"]["access_token"])

    response = await accounts.delete(f"/v1/sessions/{victim['session_id']}", headers=attacker)

    assert response.status == 404
    assert await _refreshes(accounts, victim)


async def test_ending_all_others_keeps_the_current_session(accounts: TestClient[Any, Any]) -> None:
    email = new_email()
    first = await sign_up(accounts, email=email)
    second = await _log_in(accounts, email, "second")
    mine = await _log_in(accounts, email, "mine")

    response = await accounts.delete("/v1/sessions", headers=bearer(mine["tokens"]["access_token"]))

    assert (await response.json())["ended_sessions"] == 2
    assert not await _refreshes(accounts, first)
    assert not await _refreshes(accounts, second)
    assert await _refreshes(accounts, mine)


async def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    other = await sign_up(accounts, email=email)
    mine = await _log_in(accounts, email, "mine")
    access = bearer(mine["tokens"]["access_token"])

    wrong = await accounts.post(
        "/v1/accounts/me/password",
        headers=access,
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
    )
    weak = await accounts.post(
        "/v1/accounts/me/password",
        headers=access,
        json={"current_password": STRONG_PASSWORD, "new_password": "short"},
    )
    changed = await accounts.post(
        "/v1/accounts/me/password",
        headers=access,
        json={"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert wrong.status == 422
    assert (await wrong.json())["errors"][0]["field"] == "current_password"
    assert weak.status == 422
    assert (await weak.json())["errors"][0]["field"] == "new_password"
    assert (await changed.json())["ended_sessions"] == 1
    assert not await _refreshes(accounts, other)
    assert await _refreshes(accounts, mine)
    login = await accounts.post("/v1/sessions", json={"email": email, "password": NEW_PASSWORD})
    assert login.status == 200
