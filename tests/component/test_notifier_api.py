"""The notifier's delivery log over HTTP: admins only, paginated newest first, documented."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from notifier.app import create_app
from notifier.domain import Mail, Notification
from notifier.kinds import REVIEW_REJECTED
from notifier.settings import NotifierSettings
from notifier.store import NotificationStore
from shared.runtime import DB_KEY
from tests.support.accounts import bearer, sign_up, staff_token
from tests.support.infra import free_port

ACCOUNT = "account-with-three-mails"
OTHER_ACCOUNT = "account-with-one-mail"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# The notifier's clock in these tests: a resend is recorded at this time.
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)


@pytest.fixture
async def notifier(
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    accounts: TestClient[Any, Any],
) -> TestClient[Any, Any]:
    """The notifier in-process, verifying tokens against the in-process accounts service.
    Nothing listens on its SMTP port: a resend is recorded, and its sending fails."""
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
    mail = Mail(
        notification_id=str(uuid.uuid4()),
        correlation_id=str(uuid.uuid4()),
        kind=REVIEW_REJECTED,
        account_id=account_id,
        to="ada@example.com",
        about={"application_id": str(uuid.uuid4()), "decision": "reject"},
        content={"full_name": "Ada", "company_name": "Analytical Engines", "reason": "incomplete"},
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


# --- the operators' log: failed mails across accounts, and resending one ----------------------


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


async def test_an_admin_resends_a_failed_mail_as_a_new_notification(
    notifier: TestClient[Any, Any], admin_token: str, store: NotificationStore
) -> None:
    original = await record(store, account_id=ACCOUNT, at=T0, status="failed")

    response = await notifier.post(
        f"/v1/notifications/{original.id}/resend", headers=bearer(admin_token)
    )

    assert response.status == 202, await response.text()
    again = await response.json()
    assert again["id"] != original.id
    assert again["resend_of"] == original.id
    assert again["resent_as"] is None
    assert again["status"] == "pending"
    assert again["attempts"] == 0
    assert again["account_id"] == ACCOUNT
    assert again["email"] == original.email
    assert again["kind"] == original.kind == "review_rejected"
    assert again["decision"] == original.about["decision"] == "reject"
    assert again["application_id"] == original.about["application_id"]
    assert again["about"] == original.about
    assert again["subject"].startswith("Your workspace application was not approved")
    assert again["created_at"] == "2026-11-03T09:00:00Z"  # the notifier's clock
    log = await notifier.get(
        "/v1/notifications", params={"account_id": ACCOUNT}, headers=bearer(admin_token)
    )
    items = (await log.json())["items"]
    assert [item["id"] for item in items] == [again["id"], original.id]
    assert items[1]["status"] == "failed"
    assert items[1]["resent_as"] == again["id"]


async def test_a_failed_mail_is_resent_once_the_second_resend_is_409(
    notifier: TestClient[Any, Any], admin_token: str, store: NotificationStore
) -> None:
    original = await record(store, account_id=ACCOUNT, at=T0, status="failed")
    url = f"/v1/notifications/{original.id}/resend"
    first = await notifier.post(url, headers=bearer(admin_token))
    assert first.status == 202, await first.text()

    second = await notifier.post(url, headers=bearer(admin_token))

    assert second.status == 409
    problem = await second.json()
    assert problem["type"].endswith("/notification-already-resent")
    assert (await first.json())["id"] in problem["detail"]


async def test_a_resend_interrupted_before_linking_the_original_is_still_resent_once(
    notifier: TestClient[Any, Any], admin_token: str, store: NotificationStore
) -> None:
    """The resend was recorded, then the request stopped before the original learnt of it:
    asking again is 409 (no second resend) and completes the link."""
    original = await record(store, account_id=ACCOUNT, at=T0, status="failed")
    _, again = original.resend(now=NOW, correlation_id="an-interrupted-request")
    await store.insert_resend(again)

    response = await notifier.post(
        f"/v1/notifications/{original.id}/resend", headers=bearer(admin_token)
    )

    assert response.status == 409
    linked = await store.get(original.id)
    assert linked is not None
    assert linked.resent_as == again.id


@pytest.mark.parametrize("status", ["sent", "pending", "sending"])
async def test_only_a_failed_mail_is_resent(
    notifier: TestClient[Any, Any], admin_token: str, store: NotificationStore, status: str
) -> None:
    notification = await record(store, account_id=ACCOUNT, at=T0, status=status)

    response = await notifier.post(
        f"/v1/notifications/{notification.id}/resend", headers=bearer(admin_token)
    )

    assert response.status == 409
    problem = await response.json()
    assert problem["type"].endswith("/notification-not-failed")
    assert status in problem["detail"]
    assert (await store.get(notification.id)) == notification  # unchanged


async def test_a_mail_recorded_without_its_content_cannot_be_resent(
    notifier: TestClient[Any, Any], admin_token: str
) -> None:
    """Notifications recorded before the content was kept: 409, nothing to render."""
    await notifier.app[DB_KEY]["notifications"].insert_one(
        {
            "_id": "an-old-notification",
            "account_id": ACCOUNT,
            "email": "ada@example.com",
            "decision": "approve",
            "application_id": "an-application",
            "correlation_id": "a-correlation",
            "status": "failed",
            "attempts": 1,
            "last_error": "SMTP 550",
            "created_at": T0,
            "updated_at": T0,
            "sent_at": None,
        }
    )

    response = await notifier.post(
        "/v1/notifications/an-old-notification/resend", headers=bearer(admin_token)
    )

    assert response.status == 409
    assert (await response.json())["type"].endswith("/notification-not-resendable")


async def test_resending_an_unknown_notification_is_404(
    notifier: TestClient[Any, Any], admin_token: str
) -> None:
    response = await notifier.post("/v1/notifications/nope/resend", headers=bearer(admin_token))

    assert response.status == 404
    assert response.content_type == "application/problem+json"


async def test_only_an_admin_resends(
    notifier: TestClient[Any, Any], accounts: TestClient[Any, Any], store: NotificationStore
) -> None:
    original = await record(store, account_id=ACCOUNT, at=T0, status="failed")
    url = f"/v1/notifications/{original.id}/resend"
    reviewer = await staff_token(accounts, "reviewer")

    anonymous = await notifier.post(url)
    refused = await notifier.post(url, headers=bearer(reviewer))

    assert anonymous.status == 401
    assert refused.status == 403
    assert (await store.get(original.id)) == original


async def test_openapi_documents_the_failed_mails_and_the_resend(
    notifier: TestClient[Any, Any],
) -> None:
    document = await (await notifier.get("/openapi.json")).json()

    listing = document["paths"]["/v1/notifications"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert params["status"]["required"] is False
    status = params["status"]["schema"]["anyOf"][0]
    assert status == {"type": "string", "enum": ["pending", "sending", "sent", "failed"]}
    resend = document["paths"]["/v1/notifications/{id}/resend"]["post"]
    assert resend["security"] == [{"bearer": []}]
    assert [p["name"] for p in resend["parameters"]] == ["id"]
    schema = resend["responses"]["202"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/NotificationRead")
    assert {"401", "403", "404", "409"} <= set(resend["responses"])
    read = document["components"]["schemas"]["NotificationRead"]
    assert {"resend_of", "resent_as"} <= set(read["properties"])
