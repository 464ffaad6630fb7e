"""Helpers for the review workflow's tests: a staff account with two roles, the problem's
slug, and a merchant with an application under review."""

from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import (
    STRONG_PASSWORD,
    bearer,
    enrol_two_factor,
    log_in_with_second_factor,
    merchant_token,
    new_email,
)
from tests.support.workspaces import apply


async def reviewing_admin_token(accounts: TestClient[Any, Any]) -> str:
    """An admin who also reviews (the operator command run twice on one email)."""
    from accounts.api import SERVICE_KEY
    from accounts.domain import Role

    email = new_email("reviewing-admin")
    service = accounts.app[SERVICE_KEY]
    account, _ = await service.create_staff(
        email=email, password=STRONG_PASSWORD, full_name="Test admin", role=Role("reviewer")
    )
    await service.create_staff(
        email=email, password=STRONG_PASSWORD, full_name="Test admin", role=Role("admin")
    )
    codes = await enrol_two_factor(accounts, account.id)
    session = await log_in_with_second_factor(accounts, email, recovery_code=codes[0])
    token: str = session["tokens"]["access_token"]
    return token


async def slug(response: Any) -> str:
    body = await response.json()
    return str(body["type"]).rsplit("/", 1)[-1]


async def under_review(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], **form: Any
) -> tuple[str, dict[str, Any]]:
    """A new merchant's token and their application, submitted."""
    token = await merchant_token(accounts)
    return token, await apply(workspaces, token, **form)


async def get_json(client: TestClient[Any, Any], path: str, token: str) -> Any:
    response = await client.get(path, headers=bearer(token))
    assert response.status == 200, await response.text()
    return await response.json()
