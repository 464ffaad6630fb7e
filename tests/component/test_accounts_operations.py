"""Operator-facing behaviour: staff accounts, OpenAPI, metrics, health."""

import asyncio
import os
import sys
from typing import Any

import jwt
import pyotp
from aiohttp.test_utils import TestClient

from accounts.settings import AccountsSettings
from tests.conftest import TEST_TOTP_SECRET_KEY
from tests.support.accounts import new_email
from tests.support.infra import ROOT


async def _create_staff(settings: AccountsSettings, *args: str, password: str) -> tuple[int, str]:
    env = {
        **os.environ,
        "MONGO_URL": settings.mongo_url,
        "MONGO_DATABASE": settings.mongo_database,
        "LOG_JSON": "false",
        # The command seals the secrets it provisions with the running service's key.
        "TOTP_SECRET_KEY": TEST_TOTP_SECRET_KEY,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accounts",
        "create-staff",
        *args,
        "--password-stdin",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
        cwd=ROOT,
    )
    out, _ = await process.communicate(f"{password}\n".encode())
    return process.returncode or 0, out.decode()


async def test_create_staff_makes_a_reviewer_whose_tokens_lack_the_role_until_two_factor(
    accounts: TestClient[Any, Any], accounts_settings: AccountsSettings
) -> None:
    email = new_email("reviewer")
    code, out = await _create_staff(
        accounts_settings, "--email", email, "--role", "reviewer", password="reviewing all day"
    )
    assert code == 0, out
    assert f"created reviewer {email}" in out

    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": "reviewing all day"}
    )

    assert response.status == 200
    session = await response.json()
    token = session["tokens"]["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["roles"] == []
    assert session["account"]["roles"] == ["reviewer"]
    assert session["next_step"] == "enrol_two_factor"


async def test_create_staff_with_a_totp_secret_makes_staff_who_sign_in_with_a_code(
    accounts: TestClient[Any, Any], accounts_settings: AccountsSettings
) -> None:
    email = new_email("admin")
    code, out = await _create_staff(
        accounts_settings, "--email", email, "--role", "admin", "--with-totp",
        password="administering all day",
    )  # fmt: skip
    assert code == 0, out
    secret = out.split("TOTP secret: ")[1].split()[0]
    assert "otpauth://totp/" in out

    login = await accounts.post(
        "/v1/sessions", json={"email": email, "password": "administering all day"}
    )
    challenge = await login.json()
    signed_in = await accounts.post(
        "/v1/sessions/mfa",
        json={"mfa_token": challenge["mfa_token"], "code": pyotp.TOTP(secret).now()},
    )

    assert login.status == 202
    token = (await signed_in.json())["tokens"]["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["roles"] == ["admin"]


async def test_create_staff_again_grants_the_role_instead_of_failing(
    accounts_settings: AccountsSettings, accounts: TestClient[Any, Any]
) -> None:
    email = new_email("staff")
    first, _ = await _create_staff(
        accounts_settings, "--email", email, "--role", "reviewer", password="reviewing all day"
    )
    second, out = await _create_staff(
        accounts_settings, "--email", email, "--role", "admin", password="reviewing all day"
    )

    assert (first, second) == (0, 0)
    assert "granted the admin role" in out
    session = await accounts.post(
        "/v1/sessions", json={"email": email, "password": "reviewing all day"}
    )
    assert sorted((await session.json())["account"]["roles"]) == ["admin", "reviewer"]


async def test_create_staff_refuses_a_common_password(accounts_settings: AccountsSettings) -> None:
    code, out = await _create_staff(
        accounts_settings, "--email", new_email(), "--role", "reviewer", password="password123"
    )
    assert code == 2
    assert "common" in out


async def test_public_signup_cannot_grant_staff_roles(accounts: TestClient[Any, Any]) -> None:
    from tests.support.accounts import signup_body

    response = await accounts.post("/v1/accounts", json=signup_body(roles=["admin"]))

    assert response.status == 201
    assert (await response.json())["account"]["roles"] == ["merchant"]


async def test_openapi_is_generated_from_the_models(accounts: TestClient[Any, Any]) -> None:
    document = await (await accounts.get("/openapi.json")).json()

    assert document["openapi"] == "3.1.0"
    signup = document["paths"]["/v1/accounts"]["post"]
    assert signup["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AccountCreate"
    )
    schema = document["components"]["schemas"]["AccountCreate"]
    assert set(schema["required"]) == {"email", "password", "full_name", "accept_terms"}
    assert "/v1/sessions/refresh" in document["paths"]
    assert document["paths"]["/v1/accounts/me"]["get"]["security"] == [{"bearer": []}]


async def test_metrics_count_requests_by_route(accounts: TestClient[Any, Any]) -> None:
    await accounts.get("/healthz")
    await accounts.get("/v1/nowhere")

    text = await (await accounts.get("/metrics")).text()

    assert 'mpp_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'route="unmatched",status="404"' in text


async def test_healthz_answers_while_readyz_reports_each_dependency(
    accounts: TestClient[Any, Any],
) -> None:
    assert (await accounts.get("/healthz")).status == 200
    from tests.support.bus import wait_until

    async def ready() -> bool:
        response = await accounts.get("/readyz")
        body = await response.json()
        checks = {"mongo": "ok", "indexes": "ok", "rabbitmq": "ok"}
        return response.status == 200 and body["checks"] == checks

    await wait_until(ready)
