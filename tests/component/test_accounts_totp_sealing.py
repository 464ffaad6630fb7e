"""TOTP secrets sealed at rest (TOTP_SECRET_KEY): in clear nowhere in the database, opening only
for their own account, still opening after a key rotation, an enrolment stored in clear before
sealing read and sealed in place, and no start without the key outside a developer's machine."""

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from aiohttp.test_utils import TestClient

from accounts.api import SERVICE_KEY
from accounts.app import create_app
from accounts.domain import Role
from accounts.settings import AccountsSettings
from shared.mongo import utc_now
from shared.runtime import DB_KEY
from shared.sealing import KeySettingError, Sealer, UnsealError, generate_key
from tests.conftest import TEST_TOTP_SECRET_KEY
from tests.support.accounts import (
    STRONG_PASSWORD,
    bearer,
    database_text,
    new_email,
    sign_up,
)
from tests.support.infra import ROOT


@pytest.fixture
def make_accounts(
    make_settings: Callable[..., Any], serve: Callable[..., Any]
) -> Callable[..., Any]:
    """The service on the test's database; several made in one test share it (a restart)."""

    async def make(**overrides: Any) -> TestClient[Any, Any]:
        client: TestClient[Any, Any] = await serve(
            create_app(make_settings(AccountsSettings, **overrides))
        )
        return client

    return make


async def _enrolled(accounts: TestClient[Any, Any]) -> tuple[str, str, str, list[str]]:
    """A new account with two-factor sign-in on: (email, account id, secret, recovery codes)."""
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    enrolment = await (await accounts.post("/v1/accounts/me/totp", headers=access)).json()
    confirmed = await accounts.post(
        "/v1/accounts/me/totp/confirm",
        headers=access,
        json={"code": pyotp.TOTP(enrolment["secret"]).now()},
    )
    assert confirmed.status == 200, await confirmed.text()
    account = await _document(accounts, email)
    return email, account["_id"], enrolment["secret"], (await confirmed.json())["recovery_codes"]


async def _document(accounts: TestClient[Any, Any], email: str) -> Any:
    return await accounts.app[DB_KEY]["accounts"].find_one({"email": email})


async def _second_factor(accounts: TestClient[Any, Any], email: str, **factor: str) -> int:
    """The status of a login's second step with this code or recovery code."""
    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": STRONG_PASSWORD}
    )
    assert response.status == 202, await response.text()
    mfa_token = (await response.json())["mfa_token"]
    answer = await accounts.post("/v1/sessions/mfa", json={"mfa_token": mfa_token, **factor})
    return answer.status


def _code_of_the_next_step(secret: str) -> str:
    """A code newer than the enrolment's (the same step is never accepted twice)."""
    totp = pyotp.TOTP(secret)
    return totp.at(utc_now(), counter_offset=1)


async def test_no_totp_secret_is_stored_in_clear_after_enrolment_and_confirmation(
    make_accounts: Callable[..., Any],
) -> None:
    accounts = await make_accounts()
    pending_access = bearer((await sign_up(accounts))["tokens"]["access_token"])
    pending = await (await accounts.post("/v1/accounts/me/totp", headers=pending_access)).json()
    _, account_id, secret, _ = await _enrolled(accounts)

    stored = await database_text(accounts)

    assert account_id in stored
    for clear in (secret, pending["secret"]):
        assert clear not in stored
        assert clear.lower() not in stored


async def test_a_secret_sealed_for_one_account_does_not_open_for_another(
    make_accounts: Callable[..., Any],
) -> None:
    accounts = await make_accounts()
    _, first_id, secret, _ = await _enrolled(accounts)
    other_email, other_id, _, other_codes = await _enrolled(accounts)
    collection = accounts.app[DB_KEY]["accounts"]
    first = await collection.find_one({"_id": first_id})
    copied = {f"two_factor.{k}": first["two_factor"][k] for k in ("sealed_secret", "secret_hash")}
    await collection.update_one({"_id": other_id}, {"$set": copied})

    with_the_copied_secret = await _second_factor(
        accounts, other_email, code=_code_of_the_next_step(secret)
    )
    with_a_recovery_code = await _second_factor(accounts, other_email, recovery_code=other_codes[0])

    assert with_the_copied_secret == 422  # as any wrong code
    assert with_a_recovery_code == 200  # the account keeps its way in


async def test_after_a_rotation_the_old_key_still_opens_and_the_new_one_seals(
    make_accounts: Callable[..., Any],
) -> None:
    before = await make_accounts()
    email, _, secret, _ = await _enrolled(before)
    new_key = generate_key()
    after = await make_accounts(totp_secret_key=f"{new_key},{TEST_TOTP_SECRET_KEY}")

    old_enrolment = await _second_factor(after, email, code=_code_of_the_next_step(secret))
    _, new_id, _, _ = await _enrolled(after)
    sealed = (await after.app[DB_KEY]["accounts"].find_one({"_id": new_id}))["two_factor"]

    assert old_enrolment == 200
    assert Sealer([new_key]).unseal(sealed["sealed_secret"])
    with pytest.raises(UnsealError):
        Sealer([TEST_TOTP_SECRET_KEY]).unseal(sealed["sealed_secret"])


async def test_an_enrolment_stored_in_clear_before_sealing_still_works_and_gets_sealed(
    make_accounts: Callable[..., Any],
) -> None:
    accounts = await make_accounts()
    email = new_email()
    await sign_up(accounts, email=email)
    secret = pyotp.random_base32()
    legacy = {"secret": secret, "enabled_at": utc_now(), "last_step": -1, "recovery_hashes": []}
    await accounts.app[DB_KEY]["accounts"].update_one(
        {"email": email}, {"$set": {"two_factor": legacy}}
    )

    signed_in = await _second_factor(accounts, email, code=pyotp.TOTP(secret).now())
    stored = await database_text(accounts)
    two_factor = (await _document(accounts, email))["two_factor"]

    assert signed_in == 200
    assert secret not in stored
    assert "secret" not in two_factor
    assert Sealer([TEST_TOTP_SECRET_KEY]).unseal(two_factor["sealed_secret"])


async def test_a_secret_the_operator_provisions_is_sealed_too(
    make_accounts: Callable[..., Any],
) -> None:
    accounts = await make_accounts()
    email, secret = new_email("reviewer"), pyotp.random_base32()
    await accounts.app[SERVICE_KEY].create_staff(
        email=email, password=STRONG_PASSWORD, full_name="R", role=Role.REVIEWER, totp_secret=secret
    )

    signed_in = await _second_factor(accounts, email, code=pyotp.TOTP(secret).now())
    two_factor = (await _document(accounts, email))["two_factor"]

    assert signed_in == 200
    assert secret not in await database_text(accounts)
    assert set(two_factor) >= {"sealed_secret", "secret_hash", "enabled_at"}


def test_without_the_key_the_service_refuses_to_start_but_on_a_developer_machine(
    make_settings: Callable[..., Any],
) -> None:
    with pytest.raises(KeySettingError, match="TOTP_SECRET_KEY"):
        create_app(make_settings(AccountsSettings, totp_secret_key=None))

    create_app(make_settings(AccountsSettings, totp_secret_key=None, refresh_cookie_secure=False))


@pytest.mark.parametrize(
    ("command", "cookie_secure"),
    [
        (["serve"], "true"),
        # It seals for the running service: a throwaway key would lock the account out at once.
        (
            ["create-staff", "--email", "r@x.example", "--role", "reviewer", "--password-stdin"],
            "false",
        ),
    ],
)
def test_the_process_exits_with_a_message_naming_the_missing_key(
    command: list[str], cookie_secure: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TOTP_SECRET_KEY"}
    env["REFRESH_COOKIE_SECURE"] = cookie_secure

    done = subprocess.run(
        [sys.executable, "-m", "accounts", *command],
        input="a long enough password here\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert "TOTP_SECRET_KEY is not set" in done.stderr
