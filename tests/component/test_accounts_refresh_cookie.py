"""The refresh token as a cookie scripts cannot read: set by signup, login and refresh, read by
refresh and logout when the body leaves the token out, cleared by logout."""

from http.cookies import Morsel
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from accounts.settings import AccountsSettings
from tests.support.accounts import STRONG_PASSWORD, sign_up, signup_body

COOKIE = "mpp_refresh"


def refresh_cookie(response: ClientResponse) -> "Morsel[str]":
    assert COOKIE in response.cookies, response.headers.getall("Set-Cookie", [])
    return response.cookies[COOKIE]


def with_cookie(value: str) -> dict[str, str]:
    """The header a browser sends (the test client's jar keeps a Secure cookie off http)."""
    return {"Cookie": f"{COOKIE}={value}"}


async def _signed_up_cookie(accounts: TestClient[Any, Any]) -> str:
    response = await accounts.post("/v1/accounts", json=signup_body())
    assert response.status == 201
    return refresh_cookie(response).value


async def test_signup_login_and_refresh_set_the_refresh_token_as_an_httponly_strict_cookie(
    accounts: TestClient[Any, Any], accounts_settings: AccountsSettings
) -> None:
    body = signup_body()
    signup = await accounts.post("/v1/accounts", json=body)
    login = await accounts.post(
        "/v1/sessions", json={"email": body["email"], "password": body["password"]}
    )
    refresh = await accounts.post(
        "/v1/sessions/refresh",
        json={"refresh_token": (await login.json())["tokens"]["refresh_token"]},
    )

    for response in (signup, login, refresh):
        assert response.status in (200, 201)
        cookie = refresh_cookie(response)
        assert cookie.value == (await response.json())["tokens"]["refresh_token"]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Strict"
        assert cookie["path"] == "/v1/sessions"
        assert cookie["secure"] is True  # the default: sent over HTTPS only
        assert int(cookie["max-age"]) == accounts_settings.refresh_token_ttl_s
        assert cookie["domain"] == ""  # this host only


async def test_with_refresh_cookie_secure_off_the_cookie_works_over_plain_http(
    make_settings: Any, serve: Any
) -> None:
    from accounts.app import create_app

    accounts = await serve(create_app(make_settings(AccountsSettings, refresh_cookie_secure=False)))
    signup = await accounts.post("/v1/accounts", json=signup_body())

    assert refresh_cookie(signup)["secure"] == ""
    # The client's jar now sends it back, like a browser on http://127.0.0.1 (make dev).
    refresh = await accounts.post("/v1/sessions/refresh", json={})
    assert refresh.status == 200, await refresh.text()
    logout = await accounts.delete("/v1/sessions/current")
    assert logout.status == 204
    assert COOKIE not in accounts.session.cookie_jar.filter_cookies(
        accounts.make_url("/v1/sessions/refresh")
    )


async def test_refresh_with_only_the_cookie_gives_new_tokens(
    accounts: TestClient[Any, Any],
) -> None:
    cookie = await _signed_up_cookie(accounts)

    with_empty_body = await accounts.post(
        "/v1/sessions/refresh", json={}, headers=with_cookie(cookie)
    )
    with_no_body = await accounts.post(
        "/v1/sessions/refresh", headers=with_cookie(refresh_cookie(with_empty_body).value)
    )

    for response in (with_empty_body, with_no_body):
        assert response.status == 200, await response.text()
        assert (await response.json())["tokens"]["access_token"]


async def test_refresh_by_cookie_rotates_the_cookie(accounts: TestClient[Any, Any]) -> None:
    first = await _signed_up_cookie(accounts)

    response = await accounts.post("/v1/sessions/refresh", json={}, headers=with_cookie(first))

    second = refresh_cookie(response).value
    assert second != first
    assert second == (await response.json())["tokens"]["refresh_token"]
    again = await accounts.post("/v1/sessions/refresh", json={}, headers=with_cookie(second))
    assert again.status == 200


async def test_an_old_cookie_value_coming_back_revokes_the_whole_session(
    accounts: TestClient[Any, Any],
) -> None:
    first = await _signed_up_cookie(accounts)
    rotated = await accounts.post("/v1/sessions/refresh", json={}, headers=with_cookie(first))
    second = refresh_cookie(rotated).value

    reuse = await accounts.post("/v1/sessions/refresh", json={}, headers=with_cookie(first))

    assert reuse.status == 401
    assert "reused" in (await reuse.json())["detail"]
    successor = await accounts.post("/v1/sessions/refresh", json={}, headers=with_cookie(second))
    assert successor.status == 401


async def test_logout_with_the_cookie_revokes_the_session_and_clears_the_cookie(
    accounts: TestClient[Any, Any],
) -> None:
    cookie = await _signed_up_cookie(accounts)

    logout = await accounts.delete("/v1/sessions/current", headers=with_cookie(cookie))

    assert logout.status == 204
    cleared = refresh_cookie(logout)
    assert cleared.value == ""
    assert cleared["max-age"] == "0"
    assert cleared["path"] == "/v1/sessions"
    refresh = await accounts.post("/v1/sessions/refresh", json={}, headers=with_cookie(cookie))
    assert refresh.status == 401


async def test_a_refresh_token_in_the_body_is_used_rather_than_the_cookie(
    accounts: TestClient[Any, Any],
) -> None:
    cookie = await _signed_up_cookie(accounts)

    response = await accounts.post(
        "/v1/sessions/refresh", json={"refresh_token": "made-up-token"}, headers=with_cookie(cookie)
    )

    assert response.status == 401
    assert (await response.json())["detail"] == "unknown or revoked refresh token"
    still_good = await accounts.post("/v1/sessions/refresh", headers=with_cookie(cookie))
    assert still_good.status == 200


async def test_refresh_with_neither_a_body_token_nor_the_cookie_names_refresh_token(
    accounts: TestClient[Any, Any],
) -> None:
    for response in (
        await accounts.post("/v1/sessions/refresh", json={}),
        await accounts.post("/v1/sessions/refresh"),
        await accounts.delete("/v1/sessions/current"),
    ):
        assert response.status == 422
        assert response.content_type == "application/problem+json"
        (error,) = (await response.json())["errors"]
        assert error["field"] == "refresh_token"
        assert COOKIE in error["message"]


async def test_login_sets_a_cookie_per_session(accounts: TestClient[Any, Any]) -> None:
    email = (await sign_up(accounts))["account"]["email"]
    credentials = {"email": email, "password": STRONG_PASSWORD}

    first = await accounts.post("/v1/sessions", json=credentials)
    second = await accounts.post("/v1/sessions", json=credentials)

    assert refresh_cookie(first).value != refresh_cookie(second).value


async def test_openapi_says_the_cookie_may_stand_in_for_the_body(
    accounts: TestClient[Any, Any],
) -> None:
    document = await (await accounts.get("/openapi.json")).json()

    for path, method in (("/v1/sessions/refresh", "post"), ("/v1/sessions/current", "delete")):
        operation = document["paths"][path][method]
        assert operation["requestBody"]["required"] is False
        assert COOKIE in operation["summary"]
        assert COOKIE in operation["description"]
    assert "required" not in document["components"]["schemas"]["RefreshRequest"]
