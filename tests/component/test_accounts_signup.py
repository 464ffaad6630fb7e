import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer, new_email, sign_up, signup_body


async def test_signup_logs_the_user_in_and_the_token_works_on_me(
    accounts: TestClient[Any, Any],
) -> None:
    session = await sign_up(accounts, full_name="  Ada Lovelace ")

    assert session["next_step"] == "apply_workspace"
    assert session["tokens"]["token_type"] == "Bearer"
    assert session["tokens"]["expires_in"] == 900
    assert session["account"]["roles"] == ["merchant"]
    assert session["account"]["full_name"] == "Ada Lovelace"
    me = await accounts.get("/v1/accounts/me", headers=bearer(session["tokens"]["access_token"]))
    assert me.status == 200
    body = await me.json()
    assert body["account"]["id"] == session["account"]["id"]
    assert body["account"]["terms_version"] == "2026-11-01"
    assert body["account"]["terms_accepted_at"]
    assert body["next_step"] == "apply_workspace"


async def test_signup_with_an_email_taken_in_another_case_is_a_conflict(
    accounts: TestClient[Any, Any],
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)

    response = await accounts.post("/v1/accounts", json=signup_body(email=email.upper()))

    assert response.status == 409
    assert response.content_type == "application/problem+json"
    assert (await response.json())["type"].endswith("/email-taken")


async def test_twenty_concurrent_identical_signups_create_exactly_one_account(
    accounts: TestClient[Any, Any],
) -> None:
    body = signup_body()

    responses = await asyncio.gather(*(accounts.post("/v1/accounts", json=body) for _ in range(20)))

    statuses = sorted(r.status for r in responses)
    assert statuses == [201] + [409] * 19


async def _problem(response: Any) -> dict[str, Any]:
    assert response.content_type == "application/problem+json"
    body: dict[str, Any] = await response.json()
    return body


async def _fields(accounts: TestClient[Any, Any], body: dict[str, Any]) -> set[str]:
    response = await accounts.post("/v1/accounts", json=body)
    assert response.status == 422
    problem = await _problem(response)
    assert problem["status"] == 422
    return {error["field"] for error in problem["errors"]}


async def test_signup_without_accepting_the_terms_names_accept_terms(
    accounts: TestClient[Any, Any],
) -> None:
    body = signup_body()
    del body["accept_terms"]
    assert await _fields(accounts, body) == {"accept_terms"}
    assert await _fields(accounts, signup_body(accept_terms=False)) == {"accept_terms"}
    assert await _fields(accounts, signup_body(accept_terms="yes")) == {"accept_terms"}


async def test_signup_with_a_weak_password_names_password(accounts: TestClient[Any, Any]) -> None:
    assert await _fields(accounts, signup_body(password="short")) == {"password"}
    assert await _fields(accounts, signup_body(password="password123")) == {"password"}
    assert await _fields(accounts, signup_body(password="x" * 129)) == {"password"}


async def test_signup_accepts_a_long_password_without_composition_rules(
    accounts: TestClient[Any, Any],
) -> None:
    session = await sign_up(accounts, password="z" * 128)
    assert session["account"]["email"]


async def test_signup_with_a_bad_email_names_email(accounts: TestClient[Any, Any]) -> None:
    assert await _fields(accounts, signup_body(email="not-an-email")) == {"email"}


async def test_signup_reports_every_bad_field_at_once(accounts: TestClient[Any, Any]) -> None:
    body = {"email": "nope", "password": "1", "full_name": "\x07", "accept_terms": False}
    assert await _fields(accounts, body) == {"email", "password", "full_name", "accept_terms"}


async def test_signup_with_a_non_json_body_is_415(accounts: TestClient[Any, Any]) -> None:
    response = await accounts.post(
        "/v1/accounts", data="email=x", headers={"Content-Type": "text/plain"}
    )
    assert response.status == 415
    assert (await _problem(response))["status"] == 415


async def test_signup_with_malformed_json_is_400(accounts: TestClient[Any, Any]) -> None:
    response = await accounts.post(
        "/v1/accounts", data="{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await _problem(response))["title"] == "Malformed JSON"


async def test_a_body_over_the_limit_is_413(accounts: TestClient[Any, Any]) -> None:
    response = await accounts.post(
        "/v1/accounts", data=b"x" * (1024 * 1024 + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    assert (await _problem(response))["status"] == 413
