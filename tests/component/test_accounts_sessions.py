import base64
import json
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import STRONG_PASSWORD, bearer, new_email, sign_up


async def _log_in(accounts: TestClient[Any, Any], email: str, password: str) -> Any:
    return await accounts.post("/v1/sessions", json={"email": email, "password": password})


async def test_login_returns_tokens_and_accepts_the_email_in_any_case(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)

    response = await _log_in(accounts, email.upper(), STRONG_PASSWORD)

    assert response.status == 200
    session = await response.json()
    assert session["account"]["email"] == email
    assert session["next_step"] == "apply_workspace"
    me = await accounts.get("/v1/accounts/me", headers=bearer(session["tokens"]["access_token"]))
    assert me.status == 200


async def test_wrong_password_and_unknown_email_get_the_same_401(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)

    wrong_password = await _log_in(accounts, email, "not the password at all")
    unknown_email = await _log_in(accounts, new_email(), STRONG_PASSWORD)

    assert wrong_password.status == unknown_email.status == 401
    first, second = await wrong_password.json(), await unknown_email.json()
    assert first["detail"] == second["detail"] == "Invalid email or password"
    assert first["title"] == second["title"]


async def test_repeated_failed_logins_are_throttled_with_429(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)
    for _ in range(5):
        assert (await _log_in(accounts, email, "wrong password!")).status == 401

    throttled = await _log_in(accounts, email, STRONG_PASSWORD)

    assert throttled.status == 429
    assert throttled.content_type == "application/problem+json"
    assert int(throttled.headers["Retry-After"]) > 0


async def test_failed_logins_from_one_address_are_throttled_across_accounts(
    make_settings: Any, serve: Any
) -> None:
    from accounts.app import create_app
    from accounts.settings import AccountsSettings

    accounts = await serve(create_app(make_settings(AccountsSettings, login_max_failures_per_ip=3)))
    for _ in range(3):
        assert (await _log_in(accounts, new_email(), "wrong password!")).status == 401

    assert (await _log_in(accounts, new_email(), "wrong password!")).status == 429


async def _refresh(accounts: TestClient[Any, Any], token: str) -> Any:
    return await accounts.post("/v1/sessions/refresh", json={"refresh_token": token})


async def test_refresh_rotates_the_refresh_token(accounts: TestClient[Any, Any]) -> None:
    first = (await sign_up(accounts))["tokens"]

    response = await _refresh(accounts, first["refresh_token"])

    assert response.status == 200
    second = (await response.json())["tokens"]
    assert second["refresh_token"] != first["refresh_token"]
    me = await accounts.get("/v1/accounts/me", headers=bearer(second["access_token"]))
    assert me.status == 200
    assert (await _refresh(accounts, second["refresh_token"])).status == 200


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_session(
    accounts: TestClient[Any, Any],
) -> None:
    first = (await sign_up(accounts))["tokens"]
    second = (await (await _refresh(accounts, first["refresh_token"])).json())["tokens"]

    reuse = await _refresh(accounts, first["refresh_token"])

    assert reuse.status == 401
    assert "reused" in (await reuse.json())["detail"]
    # The legitimate successor is revoked too: the thief and the user must log in again.
    assert (await _refresh(accounts, second["refresh_token"])).status == 401


async def test_an_unknown_refresh_token_is_401(accounts: TestClient[Any, Any]) -> None:
    assert (await _refresh(accounts, "made-up-token")).status == 401


async def test_a_refresh_token_past_its_lifetime_is_refused_as_expired(
    make_settings: Any, serve: Any
) -> None:
    from accounts.app import create_app
    from accounts.settings import AccountsSettings
    from shared.mongo import utc_now

    now = [utc_now()]
    settings = make_settings(AccountsSettings)
    accounts = await serve(create_app(settings, clock=lambda: now[0]))
    tokens = (await sign_up(accounts))["tokens"]
    now[0] += timedelta(seconds=settings.refresh_token_ttl_s)

    response = await _refresh(accounts, tokens["refresh_token"])

    assert response.status == 401
    assert (await response.json())["detail"] == "refresh token expired"


async def test_logout_revokes_the_refresh_token(accounts: TestClient[Any, Any]) -> None:
    tokens = (await sign_up(accounts))["tokens"]

    response = await accounts.delete(
        "/v1/sessions/current", json={"refresh_token": tokens["refresh_token"]}
    )

    assert response.status == 204
    assert (await _refresh(accounts, tokens["refresh_token"])).status == 401


async def test_logout_without_a_refresh_token_names_the_field(
    accounts: TestClient[Any, Any],
) -> None:
    response = await accounts.delete("/v1/sessions/current", json={})
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "refresh_token"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    result: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return result


async def test_me_rejects_missing_tampered_and_unsigned_tokens(
    accounts: TestClient[Any, Any],
) -> None:
    token = (await sign_up(accounts))["tokens"]["access_token"]
    header, payload, signature = token.split(".")
    claims = _claims(token)
    promoted = _b64({**claims, "roles": ["admin"]})
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."

    for headers in (
        {},
        bearer("garbage"),
        bearer(f"{header}.{promoted}.{signature}"),
        bearer(f"{header}.{payload}.{signature[:-4]}AAAA"),
        bearer(unsigned),
    ):
        response = await accounts.get("/v1/accounts/me", headers=headers)
        assert response.status == 401, headers
        assert response.content_type == "application/problem+json"
        assert "Bearer" in response.headers["WWW-Authenticate"]


async def test_me_rejects_an_expired_token(make_settings: Any, serve: Any) -> None:
    from accounts.app import create_app
    from accounts.settings import AccountsSettings

    accounts = await serve(create_app(make_settings(AccountsSettings, access_token_ttl_s=-60)))
    token = (await sign_up(accounts))["tokens"]["access_token"]

    response = await accounts.get("/v1/accounts/me", headers=bearer(token))

    assert response.status == 401
    assert "expired" in (await response.json())["detail"]


async def test_jwks_publishes_the_key_that_signs_access_tokens(
    accounts: TestClient[Any, Any],
) -> None:
    token = (await sign_up(accounts))["tokens"]["access_token"]
    jwks = await (await accounts.get("/.well-known/jwks.json")).json()

    import jwt

    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, key=key, algorithms=["EdDSA"], audience="mpp")
    assert claims["roles"] == ["merchant"]
    assert set(claims) >= {"sub", "email", "roles", "exp", "iat", "jti"}


async def test_behind_a_trusted_proxy_the_forwarded_client_address_is_throttled(
    make_settings: Any, serve: Any
) -> None:
    from accounts.app import create_app
    from accounts.settings import AccountsSettings

    settings = make_settings(
        AccountsSettings, login_max_failures_per_ip=2, trust_forwarded_for=True
    )
    accounts = await serve(create_app(settings))

    async def attempt(client_ip: str) -> int:
        response = await accounts.post(
            "/v1/sessions",
            json={"email": new_email(), "password": "wrong password!"},
            headers={"X-Forwarded-For": f"203.0.113.99, {client_ip}"},
        )
        return response.status

    assert [await attempt("198.51.100.1") for _ in range(3)] == [401, 401, 429]
    assert await attempt("198.51.100.2") == 401  # another client behind the same proxy
