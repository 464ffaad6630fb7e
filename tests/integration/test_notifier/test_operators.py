"""What an operator does with the notifier, against real RabbitMQ and a real SMTP server:
resend a failed mail (a new send with its own Message-ID, never a silent duplicate, even when
a replica stops mid-resend), and see SMTP connect failures counted by reason."""

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pymongo.asynchronous.collection import AsyncCollection

from notifier.domain import (
    OUTCOME_UNKNOWN_STOPPED,
    Mail,
    Notification,
    NotificationStatus,
)
from notifier.kinds import REVIEW_APPROVED
from notifier.settings import NotifierSettings
from notifier.store import document_of
from shared.mongo import Document, utc_now
from tests.support.accounts import bearer, staff_token
from tests.support.bus import wait_until
from tests.support.infra import free_port
from tests.support.smtp import SmtpServer

from .conftest import (
    DeadQueue,
    MakeNotifierSettings,
    NewReview,
    Publish,
    StartNotifier,
    mail_parts,
)

NO_SUCH_USER = "550 5.1.1 no such user"
TRY_LATER = "451 4.3.0 try later"
CONNECT_REASONS = {"refused", "timeout", "tls", "unreachable"}


@pytest.fixture
def operator_settings(
    make_notifier_settings: MakeNotifierSettings, accounts: TestClient[Any, Any]
) -> MakeNotifierSettings:
    """Notifier settings whose tokens come from the in-process accounts service."""
    jwks_url = str(accounts.make_url("/.well-known/jwks.json"))
    return lambda **overrides: make_notifier_settings(jwks_url=jwks_url, **overrides)


@pytest.fixture
async def admin(accounts: TestClient[Any, Any]) -> dict[str, str]:
    return bearer(await staff_token(accounts, "admin"))


async def _metric(notifier: TestClient[Any, Any], name: str) -> dict[str, float]:
    """One counter of /metrics as exposed, by its only label's value."""
    text = await (await notifier.get("/metrics")).text()
    pattern = rf'^{name}{{\w+="(\w+)"}} (\S+)$'
    return {label: float(value) for label, value in re.findall(pattern, text, re.MULTILINE)}


async def _status(notifications: AsyncCollection[Document], notification_id: str) -> str | None:
    doc = await notifications.find_one({"_id": notification_id})
    return doc["status"] if doc else None


# --- resending ------------------------------------------------------------------------------


async def test_a_mail_refused_for_good_and_resent_is_mailed_once_more_with_a_new_message_id(
    operator_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
    admin: dict[str, str],
) -> None:
    notifier = await start_notifier(operator_settings())
    smtp.answer(NO_SUCH_USER)  # the first mail is refused; the server accepts from then on
    event = new_review("reject", reason="incomplete")
    await publish(event)
    async with dead_queue() as dead:
        await dead.next_message()
    assert await _status(notifications, event.id) == "failed"

    response = await notifier.post(f"/v1/notifications/{event.id}/resend", headers=admin)

    assert response.status == 202, await response.text()
    again = await response.json()
    assert again["resend_of"] == event.id

    async def resent() -> bool:
        return await _status(notifications, again["id"]) == "sent"

    await wait_until(resent)
    assert len(smtp.attempts) == 2
    assert len(smtp.mails) == 1
    mail = smtp.mails[0].message
    refused = smtp.attempts[0].message
    assert mail["Message-ID"] == f"<{again['id']}@notifier.mpp>"
    assert mail["Message-ID"] != refused["Message-ID"] == f"<{event.id}@notifier.mpp>"
    for header in ("To", "From", "Subject"):
        assert mail[header] == refused[header]
    assert mail_parts(mail) == mail_parts(refused)
    log = await notifier.get(
        "/v1/notifications", params={"account_id": again["account_id"]}, headers=admin
    )
    items = {item["id"]: item for item in (await log.json())["items"]}
    assert set(items) == {event.id, again["id"]}
    assert items[event.id]["status"] == "failed"
    assert items[event.id]["resent_as"] == again["id"]
    assert items[again["id"]]["status"] == "sent"
    assert items[again["id"]]["attempts"] == 1
    assert (await _metric(notifier, "mpp_notifier_resends_total"))["sent"] == 1


async def test_a_resend_that_meets_a_temporary_failure_is_retried_at_the_next_sweep(
    operator_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    admin: dict[str, str],
) -> None:
    notifier = await start_notifier(operator_settings(resend_sweep_interval_s=0.2))
    original = await _insert_failed(notifications)
    smtp.answer(TRY_LATER)

    response = await notifier.post(f"/v1/notifications/{original.id}/resend", headers=admin)
    assert response.status == 202, await response.text()
    resend_id = (await response.json())["id"]

    async def resent() -> bool:
        return await _status(notifications, resend_id) == "sent"

    await wait_until(resent)
    doc = await notifications.find_one({"_id": resend_id})
    assert doc is not None
    assert doc["attempts"] == 2
    assert doc["last_error"] == "SMTP 451: 4.3.0 try later"
    assert len(smtp.mails_with_id(f"<{resend_id}@notifier.mpp>")) == 1
    resends = await _metric(notifier, "mpp_notifier_resends_total")
    assert (resends["retried"], resends["sent"]) == (1, 1)


async def test_a_resend_whose_sender_stopped_during_data_is_failed_as_outcome_unknown(
    operator_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
) -> None:
    """A replica stopped while handing the resend over: the server may have it. The next
    sweep fails it for an operator instead of sending it again."""
    resend = await _insert_abandoned_resend(notifications, data_started=True)

    notifier = await start_notifier(operator_settings(resend_sweep_interval_s=0.2))

    async def failed() -> bool:
        return await _status(notifications, resend.id) == "failed"

    await wait_until(failed)
    doc = await notifications.find_one({"_id": resend.id})
    assert doc is not None
    assert doc["last_error"] == OUTCOME_UNKNOWN_STOPPED
    assert smtp.attempts == []
    assert (await _metric(notifier, "mpp_notifier_resends_total"))["outcome_unknown"] == 1


async def test_a_resend_whose_sender_stopped_before_data_is_taken_over_and_sent_once(
    operator_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
) -> None:
    resend = await _insert_abandoned_resend(notifications, data_started=False)

    await start_notifier(operator_settings(resend_sweep_interval_s=0.2))

    async def sent() -> bool:
        return await _status(notifications, resend.id) == "sent"

    await wait_until(sent)
    assert len(smtp.mails) == 1
    assert smtp.mails[0].message_id == f"<{resend.id}@notifier.mpp>"
    doc = await notifications.find_one({"_id": resend.id})
    assert doc is not None
    assert doc["attempts"] == 2


async def _insert_failed(notifications: AsyncCollection[Document]) -> Notification:
    """A mail refused for good, as the notifier records one."""
    now = utc_now()
    mail = Mail(
        notification_id=f"event-{now.timestamp()}",
        correlation_id="corr-original",
        kind=REVIEW_APPROVED,
        account_id="account-1",
        to="ada@example.com",
        about={"application_id": "application-1", "decision": "approve"},
        content={"full_name": "Ada", "company_name": "Engines", "reason": None},
    )
    failed = replace(
        Notification.first(mail, now=now),
        status=NotificationStatus.FAILED,
        attempts=1,
        last_error="SMTP 550: 5.1.1 no such user",
    )
    await notifications.insert_one(document_of(failed))
    return failed


async def _insert_abandoned_resend(
    notifications: AsyncCollection[Document], *, data_started: bool
) -> Notification:
    """A resend left sending by a replica that stopped long ago (its lease ran out)."""
    original = await _insert_failed(notifications)
    long_ago = original.created_at - timedelta(hours=1)
    resent, again = original.resend(now=long_ago, correlation_id="corr-resend")
    abandoned = replace(
        again,
        status=NotificationStatus.SENDING,
        attempts=1,
        claim_id="a-stopped-replica",
        lease_until=long_ago,
        data_started_at=long_ago if data_started else None,
    )
    await notifications.insert_one(document_of(abandoned))
    await notifications.update_one({"_id": original.id}, {"$set": {"resent_as": resent.resent_as}})
    return abandoned


# --- SMTP connect failures ------------------------------------------------------------------


async def test_an_smtp_server_that_refuses_connections_is_counted_per_attempt(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    dead_queue: DeadQueue,
) -> None:
    notifier = await start_notifier(make_notifier_settings(smtp_port=free_port()))  # closed
    before = await _metric(notifier, "mpp_notifier_smtp_connect_failures_total")

    await publish(new_review("approve"))
    async with dead_queue() as dead:
        await dead.next_message()

    after = await _metric(notifier, "mpp_notifier_smtp_connect_failures_total")
    assert before == dict.fromkeys(CONNECT_REASONS, 0.0)  # every series, from the start
    assert after == {"refused": 3.0, "timeout": 0.0, "tls": 0.0, "unreachable": 0.0}


async def test_a_tls_handshake_with_a_plain_smtp_server_is_counted_as_tls(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    dead_queue: DeadQueue,
    notifications: AsyncCollection[Document],
    smtp: SmtpServer,
) -> None:
    settings: NotifierSettings = make_notifier_settings(smtp_security="tls", smtp_timeout_s=2)
    notifier = await start_notifier(settings)
    event = new_review("approve")

    await publish(event)
    async with dead_queue() as dead:
        await dead.next_message()

    failures = await _metric(notifier, "mpp_notifier_smtp_connect_failures_total")
    assert failures["tls"] == 3
    assert failures["refused"] == 0
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert smtp.attempts == []
