"""Two-factor sign-in: enrolment with an otpauth URI and QR code, a login that asks for a
code, codes never accepted twice, recovery codes used once, the MFA token's expiry on the
app's clock, and staff without two-factor getting no staff role in their tokens."""

from collections.abc import Callable
from typing import Any

import jwt
import pyotp
import pytest
from aiohttp.test_utils import TestClient

from accounts.api import SERVICE_KEY
from accounts.app import create_app
from accounts.domain import Role
from accounts.settings import AccountsSettings
from tests.support.accounts import STRONG_PASSWORD, bearer, new_email, sign_up
from tests.support.clock import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_accounts(
    make_settings: Callable[..., Any], serve: Callable[..., Any], clock: Clock
) -> Callable[..., Any]:
    async def make(**overrides: Any) -> TestClient[Any, Any]:
        client: TestClient[Any, Any] = await serve(
            create_app(make_settings(AccountsSettings, **overrides), clock=clock)
        )
        return client

    return make


@pytest.fixture
async def accounts(make_accounts: Callable[..., Any]) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = await make_accounts()
    return client


async def _enrol(accounts: TestClient[Any, Any], access: dict[str, str], clock: Clock) -> Any:
    """Enrolled with the code of now; (the TOTP, the recovery codes)."""
    enrolment = await (await accounts.post("/v1/accounts/me/totp", headers=access)).json()
    totp = pyotp.TOTP(enrolment["secret"])
    confirmed = await accounts.post(
        "/v1/accounts/me/totp/confirm", headers=access, json={"code": totp.at(clock.now)}
    )
    assert confirmed.status == 200, await confirmed.text()
    return totp, (await confirmed.json())["recovery_codes"]


async def _password_step(accounts: TestClient[Any, Any], email: str) -> str:
    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": STRONG_PASSWORD}
    )
    assert response.status == 202, await response.text()
    body = await response.json()
    assert body["mfa_required"] is True
    assert "tokens" not in body
    token: str = body["mfa_token"]
    return token


async def _mfa(accounts: TestClient[Any, Any], mfa_token: str, **factor: str) -> Any:
    return await accounts.post("/v1/sessions/mfa", json={"mfa_token": mfa_token, **factor})


async def test_enrolment_shows_the_secret_as_an_otpauth_uri_and_a_qr_code(
    accounts: TestClient[Any, Any],
) -> None:
    session = await sign_up(accounts)
    access = bearer(session["tokens"]["access_token"])

    response = await accounts.post("/v1/accounts/me/totp", headers=access)
    wrong = await accounts.post(
        "/v1/accounts/me/totp/confirm", headers=access, json={"code": "000000"}
    )

    assert response.status == 201
    enrolment = await response.json()
    assert enrolment["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={enrolment['secret']}" in enrolment["otpauth_uri"]
    assert enrolment["qr_code"].startswith("data:image/svg+xml")
    assert wrong.status == 422
    assert (await wrong.json())["errors"][0]["field"] == "code"
    me = await accounts.get("/v1/accounts/me", headers=access)
    assert (await me.json())["account"]["two_factor_enabled"] is False


async def test_with_two_factor_on_a_login_needs_a_code_and_never_takes_one_twice(
    accounts: TestClient[Any, Any], clock: Clock
) -> None:
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    totp, codes = await _enrol(accounts, access, clock)

    replayed = await _mfa(accounts, await _password_step(accounts, email), code=totp.at(clock.now))
    clock.advance(seconds=30)
    mfa_token = await _password_step(accounts, email)
    signed_in = await _mfa(accounts, mfa_token, code=totp.at(clock.now))
    twice = await _mfa(accounts, mfa_token, code=totp.at(clock.now))

    assert len(codes) == 10
    assert replayed.status == 422  # the enrolment's own code, used already
    assert signed_in.status == 200
    session = await signed_in.json()
    assert session["account"]["two_factor_enabled"] is True
    assert session["tokens"]["access_token"]
    assert twice.status == 422
    assert (await twice.json())["type"].endswith("/invalid-second-factor")


async def test_a_recovery_code_signs_in_once(accounts: TestClient[Any, Any], clock: Clock) -> None:
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    _, codes = await _enrol(accounts, access, clock)

    first = await _mfa(accounts, await _password_step(accounts, email), recovery_code=codes[0])
    again = await _mfa(accounts, await _password_step(accounts, email), recovery_code=codes[0])
    another = await _mfa(
        accounts, await _password_step(accounts, email), recovery_code=codes[1].lower()
    )

    assert (first.status, again.status, another.status) == (200, 422, 200)


async def test_the_mfa_token_expires_and_is_no_access_token(
    accounts: TestClient[Any, Any], clock: Clock
) -> None:
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    totp, _ = await _enrol(accounts, access, clock)
    mfa_token = await _password_step(accounts, email)

    as_access = await accounts.get("/v1/accounts/me", headers=bearer(mfa_token))
    clock.advance(minutes=6)
    late = await _mfa(accounts, mfa_token, code=totp.at(clock.now))
    neither = await accounts.post("/v1/sessions/mfa", json={"mfa_token": mfa_token})

    assert as_access.status == 401
    assert late.status == 401
    assert (await late.json())["type"].endswith("/mfa-token-invalid")
    assert neither.status == 422


async def test_wrong_codes_count_as_failed_logins(
    make_accounts: Callable[..., Any], clock: Clock
) -> None:
    accounts = await make_accounts(login_max_failures_per_account=2)
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    totp, _ = await _enrol(accounts, access, clock)
    mfa_token = await _password_step(accounts, email)

    statuses = [(await _mfa(accounts, mfa_token, code="000000")).status for _ in range(2)]
    clock.advance(seconds=30)
    throttled = await _mfa(accounts, mfa_token, code=totp.at(clock.now))

    assert statuses == [422, 422]
    assert throttled.status == 429


async def test_two_factor_is_turned_off_with_a_code(
    accounts: TestClient[Any, Any], clock: Clock
) -> None:
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    totp, _ = await _enrol(accounts, access, clock)
    clock.advance(seconds=30)

    refused = await accounts.delete("/v1/accounts/me/totp", headers=access, json={"code": "000000"})
    off = await accounts.delete(
        "/v1/accounts/me/totp", headers=access, json={"code": totp.at(clock.now)}
    )
    login = await accounts.post("/v1/sessions", json={"email": email, "password": STRONG_PASSWORD})

    assert (refused.status, off.status, login.status) == (422, 204, 200)


async def test_staff_without_two_factor_lose_the_role_and_get_it_once_enrolled(
    accounts: TestClient[Any, Any], clock: Clock
) -> None:
    email = new_email("reviewer")
    await accounts.app[SERVICE_KEY].create_staff(
        email=email, password=STRONG_PASSWORD, full_name="Rita Reviewer", role=Role.REVIEWER
    )
    login = await accounts.post("/v1/sessions", json={"email": email, "password": STRONG_PASSWORD})
    session = await login.json()
    access = bearer(session["tokens"]["access_token"])

    await _enrol(accounts, access, clock)
    refreshed = await accounts.post(
        "/v1/sessions/refresh", json={"refresh_token": session["tokens"]["refresh_token"]}
    )

    assert _roles(session["tokens"]["access_token"]) == []
    assert session["account"]["roles_awaiting_two_factor"] == ["reviewer"]
    assert session["next_step"] == "enrol_two_factor"
    after = await refreshed.json()
    assert _roles(after["tokens"]["access_token"]) == ["reviewer"]
    assert after["account"]["roles_awaiting_two_factor"] == []
    assert after["next_step"] == "apply_workspace"


async def test_a_developer_machine_may_let_staff_in_without_two_factor(
    make_accounts: Callable[..., Any],
) -> None:
    accounts = await make_accounts(staff_two_factor_required=False)
    email = new_email("admin")
    await accounts.app[SERVICE_KEY].create_staff(
        email=email, password=STRONG_PASSWORD, full_name="Ada Admin", role=Role.ADMIN
    )

    login = await accounts.post("/v1/sessions", json={"email": email, "password": STRONG_PASSWORD})

    session = await login.json()
    assert _roles(session["tokens"]["access_token"]) == ["admin"]
    assert session["next_step"] == "apply_workspace"


def _roles(token: str) -> list[str]:
    roles: list[str] = jwt.decode(token, options={"verify_signature": False})["roles"]
    return roles
