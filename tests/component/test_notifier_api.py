"""The notifier's delivery log over HTTP: admins only, paginated newest first, documented."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from accounts.api import SERVICE_KEY as ACCOUNTS_SERVICE_KEY
from accounts.domain import Role
from notifier.app import create_app
from notifier.domain import MailContent, Notification, ReviewMail
from notifier.settings import NotifierSettings
from notifier.store import NotificationStore
from shared.runtime import DB_KEY
from tests.support.accounts import STRONG_PASSWORD, bearer, new_email, sign_up

ACCOUNT = "account-with-three-mails"
OTHER_ACCOUNT = "account-with-one-mail"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def notifier(
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    accounts: TestClient[Any, Any],
) -> TestClient[Any, Any]:
    """The notifier in-process, verifying tokens against the in-process accounts service."""
    settings = make_settings(
        NotifierSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
    )
    client: TestClient[Any, Any] = await serve(create_app(settings))
    return client


@pytest.fixture
async def admin_token(accounts: TestClient[Any, Any]) -> str:
    email = new_email("admin")
    await accounts.app[ACCOUNTS_SERVICE_KEY].create_staff(
        email=email, password=STRONG_PASSWORD, full_name="Grace Admin", role=Role.ADMIN
    )
    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": STRONG_PASSWORD}
    )
    assert response.status == 200, await response.text()
    token: str = (await response.json())["tokens"]["access_token"]
    return token


@pytest.fixture
async def logged(notifier: TestClient[Any, Any]) -> list[str]:
    """Three sent notifications of ACCOUNT an hour apart (ids oldest first), one of OTHER."""
    store = NotificationStore(notifier.app[DB_KEY])
    ids = []
    for hours, account_id in enumerate([ACCOUNT, ACCOUNT, OTHER_ACCOUNT, ACCOUNT]):
        mail = ReviewMail(
            notification_id=str(uuid.uuid4()),
            correlation_id=str(uuid.uuid4()),
            application_id=str(uuid.uuid4()),
            account_id=account_id,
            to="ada@example.com",
            decision="reject",
            content=MailContent(
                full_name="Ada", company_name="Analytical Engines", reason="incomplete"
            ),
        )
        at = T0 + timedelta(hours=hours)
        first = Notification.first(mail, now=at)
        claim_id = str(uuid.uuid4())
        claimed = await store.claim(
            first, first.claim(claim_id=claim_id, now=at, lease=timedelta(minutes=1))
        )
        assert claimed is not None
        await store.settle(first.id, claimed.sent(claim_id=claim_id, now=at))
        if account_id == ACCOUNT:
            ids.append(first.id)
    return ids


async def test_an_admin_pages_through_an_accounts_notifications_newest_first(
    notifier: TestClient[Any, Any], admin_token: str, logged: list[str]
) -> None:
    first = await notifier.get(
        "/v1/notifications",
        params={"account_id": ACCOUNT, "limit": "2"},
        headers=bearer(admin_token),
    )
    assert first.status == 200, await first.text()
    page = await first.json()
    assert [item["id"] for item in page["items"]] == [logged[2], logged[1]]
    item = page["items"][0]
    assert item["account_id"] == ACCOUNT
    assert item["email"] == "ada@example.com"
    assert item["decision"] == "reject"
    assert item["status"] == "sent"
    assert item["attempts"] == 1
    assert item["last_error"] is None
    assert item["sent_at"] is not None
    assert item["created_at"] == "2026-11-02T12:00:00Z"
    assert page["next_cursor"]

    second = await notifier.get(
        "/v1/notifications",
        params={"account_id": ACCOUNT, "limit": "2", "cursor": page["next_cursor"]},
        headers=bearer(admin_token),
    )
    rest = await second.json()
    assert [item["id"] for item in rest["items"]] == [logged[0]]
    assert rest["next_cursor"] is None


async def test_a_merchant_may_not_read_the_delivery_log(
    notifier: TestClient[Any, Any], accounts: TestClient[Any, Any]
) -> None:
    merchant = await sign_up(accounts)

    response = await notifier.get(
        "/v1/notifications",
        params={"account_id": merchant["account"]["id"]},
        headers=bearer(merchant["tokens"]["access_token"]),
    )

    assert response.status == 403
    assert response.content_type == "application/problem+json"


async def test_the_delivery_log_needs_a_token(notifier: TestClient[Any, Any]) -> None:
    response = await notifier.get("/v1/notifications", params={"account_id": ACCOUNT})

    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_bad_query_parameters_are_named_in_a_422(
    notifier: TestClient[Any, Any], admin_token: str
) -> None:
    response = await notifier.get(
        "/v1/notifications", params={"limit": "101"}, headers=bearer(admin_token)
    )
    assert response.status == 422
    fields = {e["field"] for e in (await response.json())["errors"]}
    assert fields == {"account_id", "limit"}

    bad_cursor = await notifier.get(
        "/v1/notifications",
        params={"account_id": ACCOUNT, "cursor": "not-a-cursor"},
        headers=bearer(admin_token),
    )
    assert bad_cursor.status == 422
    assert [e["field"] for e in (await bad_cursor.json())["errors"]] == ["cursor"]


async def test_openapi_documents_the_delivery_log(notifier: TestClient[Any, Any]) -> None:
    document = await (await notifier.get("/openapi.json")).json()

    operation = document["paths"]["/v1/notifications"]["get"]
    assert operation["security"] == [{"bearer": []}]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["account_id"]["required"] is True
    assert params["limit"]["schema"]["maximum"] == 100
    assert params["cursor"]["required"] is False
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/NotificationPage")
    read = document["components"]["schemas"]["NotificationRead"]
    assert {"status", "attempts", "last_error", "sent_at"} <= set(read["properties"])
