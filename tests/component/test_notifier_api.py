"""The notifier's delivery log over HTTP: admins only, paginated newest first, documented."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from notifier.app import create_app
from notifier.domain import MailContent, Notification, ReviewMail
from notifier.settings import NotifierSettings
from notifier.store import NotificationStore
from shared.runtime import DB_KEY
from tests.support.accounts import bearer, sign_up, staff_token
from tests.support.infra import free_port

ACCOUNT = "account-with-three-mails"
OTHER_ACCOUNT = "account-with-one-mail"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# The notifier's clock in these tests.
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)


@pytest.fixture
async def notifier(
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    accounts: TestClient[Any, Any],
) -> TestClient[Any, Any]:
    """The notifier in-process, verifying tokens against the in-process accounts service.
    Nothing listens on its SMTP port."""
    settings = make_settings(
        NotifierSettings,
        jwks_url=str(accounts.make_url("/.well-known/jwks.json")),
        smtp_port=free_port(),
        smtp_timeout_s=1.0,
    )
    client: TestClient[Any, Any] = await serve(create_app(settings, clock=lambda: NOW))
    return client


@pytest.fixture
async def admin_token(accounts: TestClient[Any, Any]) -> str:
    return await staff_token(accounts, "admin")


async def record(
    store: NotificationStore, *, account_id: str, at: datetime, status: str = "sent"
) -> Notification:
    """A notification of `account_id` created at `at` and brought to `status` through its
    transitions, as the service would."""
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
    first = Notification.first(mail, now=at)
    claim_id = str(uuid.uuid4())
    claimed = await store.claim(first, first.claim(claim_id=claim_id, now=at, lease=LEASE))
    assert claimed is not None
    if status == "sent":
        await store.settle(first.id, claimed.sent(claim_id=claim_id, now=at))
    elif status == "failed":
        await store.settle(first.id, claimed.fail(claim_id=claim_id, error="SMTP 550", now=at))
    elif status == "pending":
        await store.settle(first.id, claimed.release(claim_id=claim_id, error="SMTP 451", now=at))
    found = await store.get(first.id)
    assert found is not None
    assert found.status == status
    return found


@pytest.fixture
def store(notifier: TestClient[Any, Any]) -> NotificationStore:
    return NotificationStore(notifier.app[DB_KEY])


@pytest.fixture
async def logged(store: NotificationStore) -> list[str]:
    """Three sent notifications of ACCOUNT an hour apart (ids oldest first), one of OTHER."""
    ids = []
    for hours, account_id in enumerate([ACCOUNT, ACCOUNT, OTHER_ACCOUNT, ACCOUNT]):
        notification = await record(store, account_id=account_id, at=T0 + timedelta(hours=hours))
        if account_id == ACCOUNT:
            ids.append(notification.id)
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
    assert fields == {"limit"}  # account_id is optional: the log across all accounts

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
    assert params["account_id"]["required"] is False
    assert params["limit"]["schema"]["maximum"] == 100
    assert params["cursor"]["required"] is False
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/NotificationPage")
    read = document["components"]["schemas"]["NotificationRead"]
    assert {"status", "attempts", "last_error", "sent_at"} <= set(read["properties"])


# --- the operators' log: failed mails across accounts ------------------------------------------


async def test_an_admin_lists_the_failed_mails_of_every_account_newest_first(
    notifier: TestClient[Any, Any], admin_token: str, store: NotificationStore
) -> None:
    older = await record(store, account_id=ACCOUNT, at=T0, status="failed")
    await record(store, account_id=ACCOUNT, at=T0 + timedelta(hours=1), status="sent")
    newer = await record(
        store, account_id=OTHER_ACCOUNT, at=T0 + timedelta(hours=2), status="failed"
    )

    first = await notifier.get(
        "/v1/notifications", params={"status": "failed", "limit": "1"}, headers=bearer(admin_token)
    )
    assert first.status == 200, await first.text()
    page = await first.json()
    second = await notifier.get(
        "/v1/notifications",
        params={"status": "failed", "limit": "1", "cursor": page["next_cursor"]},
        headers=bearer(admin_token),
    )
    rest = await second.json()

    assert [item["id"] for item in page["items"]] == [newer.id]
    assert page["items"][0]["status"] == "failed"
    assert page["items"][0]["last_error"] == "SMTP 550"
    assert [item["id"] for item in rest["items"]] == [older.id]
    assert rest["next_cursor"] is None


async def test_without_filters_the_admin_gets_the_whole_log_newest_first(
    notifier: TestClient[Any, Any], admin_token: str, logged: list[str]
) -> None:
    response = await notifier.get("/v1/notifications", headers=bearer(admin_token))

    assert response.status == 200, await response.text()
    items = (await response.json())["items"]
    assert len(items) == 4
    assert items[0]["id"] == logged[2]
    assert {item["account_id"] for item in items} == {ACCOUNT, OTHER_ACCOUNT}


async def test_an_account_and_a_status_filter_together(
    notifier: TestClient[Any, Any], admin_token: str, store: NotificationStore
) -> None:
    failed = await record(store, account_id=ACCOUNT, at=T0, status="failed")
    await record(store, account_id=ACCOUNT, at=T0, status="sent")
    await record(store, account_id=OTHER_ACCOUNT, at=T0, status="failed")

    response = await notifier.get(
        "/v1/notifications",
        params={"account_id": ACCOUNT, "status": "failed"},
        headers=bearer(admin_token),
    )

    assert [item["id"] for item in (await response.json())["items"]] == [failed.id]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"foo": "1"}, "foo"),
        ({"status[$ne]": "x"}, "status[$ne]"),
        ({"status": "lost"}, "status"),
        ({"account_id": ""}, "account_id"),
    ],
)
async def test_unknown_or_malformed_query_parameters_are_named_in_a_422(
    notifier: TestClient[Any, Any], admin_token: str, params: dict[str, str], field: str
) -> None:
    response = await notifier.get("/v1/notifications", params=params, headers=bearer(admin_token))

    assert response.status == 422, await response.text()
    assert [e["field"] for e in (await response.json())["errors"]] == [field]


async def test_openapi_documents_the_failed_mails_filter(notifier: TestClient[Any, Any]) -> None:
    document = await (await notifier.get("/openapi.json")).json()

    listing = document["paths"]["/v1/notifications"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert params["status"]["required"] is False
    status = params["status"]["schema"]["anyOf"][0]
    assert status == {"type": "string", "enum": ["pending", "sending", "sent", "failed"]}
