"""Review-result mails through real RabbitMQ and a real SMTP server: content, retries,
failures and never a duplicate mail for one event."""

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient
from pymongo.asynchronous.collection import AsyncCollection

from notifier.domain import OUTCOME_UNKNOWN_STOPPED
from notifier.settings import NotifierSettings
from shared.contracts.workspaces import ApplicationReviewedV1
from shared.events import Envelope
from shared.mongo import Document
from tests.support.bus import wait_until
from tests.support.infra import free_port
from tests.support.smtp import SmtpServer

from .conftest import (
    CountOutcomes,
    DeadQueue,
    MakeNotifierSettings,
    NewReview,
    Publish,
    StartNotifier,
    mail_parts,
)

TRY_LATER = "451 4.3.0 try later"
NO_SUCH_USER = "550 5.1.1 no such user"


async def _wait_for_status(
    notifications: AsyncCollection[Document], event: Envelope, *, status: str
) -> Document:
    async def reached() -> bool:
        return await notifications.find_one({"_id": event.id, "status": status}) is not None

    await wait_until(reached)
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    return doc


async def test_an_approval_is_mailed_once_in_english_and_chinese_as_text_and_html(
    notifier_settings: NotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
) -> None:
    await start_notifier(notifier_settings)
    event = new_review("approve")
    review = event.payload(ApplicationReviewedV1)

    await publish(event)

    doc = await _wait_for_status(notifications, event, status="sent")
    assert len(smtp.mails) == 1
    mail = smtp.mails[0]
    message = mail.message
    assert mail.rcpt_tos == [review.email]
    assert message["To"] == review.email
    assert message["From"] == notifier_settings.smtp_from
    assert message["Subject"] == ("Your workspace application is approved / 您的工作空间申请已通过")
    assert message["Message-ID"] == f"<{event.id}@notifier.mpp>"
    assert message["X-Correlation-ID"] == event.correlation_id
    assert message.get_content_type() == "multipart/alternative"
    text, html = mail_parts(message)
    for part in (text, html):
        assert "has been approved" in part
        assert "已通过审核" in part
        assert "Ada 李" in part
        assert "Analytical Engines 分析机" in part
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert doc["account_id"] == review.account_id
    assert doc["email"] == review.email
    assert doc["kind"] == "review_approved"
    assert doc["about"] == {"application_id": review.application_id, "decision": "approve"}
    assert doc["attempts"] == 1
    assert doc["last_error"] is None
    assert doc["sent_at"] is not None


async def test_a_rejection_carries_its_reason_escaped_in_html(
    notifier_settings: NotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
) -> None:
    await start_notifier(notifier_settings)
    reason = "<script>alert(1)</script> & more"
    event = new_review("reject", reason=reason)

    await publish(event)

    await _wait_for_status(notifications, event, status="sent")
    assert len(smtp.mails) == 1
    message = smtp.mails[0].message
    assert message["Subject"] == (
        "Your workspace application was not approved / 您的工作空间申请未通过"
    )
    assert message["Message-ID"] == f"<{event.id}@notifier.mpp>"
    assert message["X-Correlation-ID"] == event.correlation_id
    text, html = mail_parts(message)
    assert "was not approved" in text
    assert "未通过审核" in text
    assert f"Reason: {reason}" in text
    assert f"原因：{reason}" in text
    assert "was not approved" in html
    assert "未通过审核" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>" not in html


async def test_smtp_4xx_is_retried_until_accepted_and_mailed_once(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
) -> None:
    await start_notifier(make_notifier_settings(bus_retry_delays_ms=[100, 100, 100]))
    smtp.answer(TRY_LATER, TRY_LATER, None)
    event = new_review("approve")

    await publish(event)

    doc = await _wait_for_status(notifications, event, status="sent")
    assert doc["attempts"] == 3
    assert doc["last_error"] == "SMTP 451: 4.3.0 try later"
    assert len(smtp.attempts) == 3
    assert len(smtp.mails_with_id(f"<{event.id}@notifier.mpp>")) == 1


async def test_smtp_5xx_fails_the_notification_and_dead_letters_the_event_at_once(
    notifier_settings: NotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
) -> None:
    await start_notifier(notifier_settings)
    smtp.answer(NO_SUCH_USER)
    event = new_review("reject", reason="incomplete")

    await publish(event)

    async with dead_queue() as dead:
        message = await dead.next_message()
    assert message.message_id == event.id
    assert "550" in str(message.headers["mpp-error"])
    assert message.headers["mpp-attempts"] == 1
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert doc["attempts"] == 1
    assert doc["last_error"] == "SMTP 550: 5.1.1 no such user"
    assert len(smtp.attempts) == 1  # no retry storm
    assert smtp.mails == []


async def test_temporary_failures_end_failed_and_dead_lettered_when_retries_run_out(
    notifier_settings: NotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
) -> None:
    await start_notifier(notifier_settings)  # retry delays [100, 200]: three attempts
    smtp.answer(TRY_LATER, TRY_LATER, TRY_LATER, TRY_LATER)
    event = new_review("approve")

    await publish(event)

    async with dead_queue() as dead:
        message = await dead.next_message()
    assert message.message_id == event.id
    assert message.headers["mpp-attempts"] == 3
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert doc["attempts"] == 3
    assert doc["last_error"] == "gave up after 3 attempts: SMTP 451: 4.3.0 try later"
    assert len(smtp.attempts) == 3
    assert smtp.mails == []


async def test_an_unreachable_smtp_server_is_retried_like_a_temporary_failure(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
) -> None:
    await start_notifier(make_notifier_settings(smtp_port=free_port()))  # nobody listens
    event = new_review("approve")

    await publish(event)

    async with dead_queue() as dead:
        message = await dead.next_message()
    assert message.message_id == event.id
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert doc["attempts"] == 3
    assert doc["last_error"].startswith("gave up after 3 attempts: SMTPConnectError")


async def test_a_timeout_after_data_is_failed_as_outcome_unknown_and_not_resent(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
    count_outcomes: CountOutcomes,
) -> None:
    notifier = await start_notifier(make_notifier_settings(smtp_timeout_s=0.3))
    smtp.stall_s = 1.0  # the server has the message but answers after the client gave up
    event = new_review("approve")

    await publish(event)

    async with dead_queue() as dead:
        message = await dead.next_message()
    assert message.message_id == event.id
    assert str(message.headers["mpp-error"]).startswith("outcome unknown")
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert doc["last_error"].startswith("outcome unknown: SMTPReadTimeoutError")
    assert len(smtp.attempts) == 1
    assert count_outcomes(notifier)["outcome_unknown"] == 1


async def test_the_same_event_delivered_three_times_is_mailed_once(
    notifier_settings: NotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    count_outcomes: CountOutcomes,
) -> None:
    notifier = await start_notifier(notifier_settings)
    event = new_review("approve")

    for _ in range(3):
        await publish(event)

    # Every delivery settled: one sent, the other two acked as done before.
    await wait_until(
        lambda: count_outcomes(notifier)["sent"] == 1 and count_outcomes(notifier)["skipped"] == 2
    )
    assert len(smtp.attempts) == 1
    assert len(smtp.mails_with_id(f"<{event.id}@notifier.mpp>")) == 1


async def test_a_malformed_event_is_dead_lettered_and_sends_nothing(
    notifier_settings: NotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
    count_outcomes: CountOutcomes,
) -> None:
    notifier = await start_notifier(notifier_settings)
    valid = new_review("approve")
    data = {k: v for k, v in valid.data.items() if k != "email"}
    event = valid.model_copy(update={"data": data})

    await publish(event)

    async with dead_queue() as dead:
        message = await dead.next_message()
    assert message.message_id == event.id
    error = str(message.headers["mpp-error"])
    assert error.startswith(f"malformed {ApplicationReviewedV1.TYPE} event")
    assert "email" in error
    assert message.headers["mpp-attempts"] == 1
    assert count_outcomes(notifier)["malformed"] == 1
    assert smtp.attempts == []
    assert await notifications.find_one({"_id": event.id}) is None


async def test_two_replicas_mail_200_events_exactly_once_each(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    count_outcomes: CountOutcomes,
) -> None:
    # Room for a duplicate to wait while the other replica is still sending its twin.
    settings = make_notifier_settings(bus_retry_delays_ms=[100, 200, 400, 800, 1600])
    replicas: list[TestClient[Any, Any]] = [
        await start_notifier(settings),
        await start_notifier(settings),
    ]
    events = [new_review("approve" if i % 2 else "reject", reason="r") for i in range(200)]

    # Each event twice, back to back: the copies race on the two replicas.
    for event in events:
        await asyncio.gather(publish(event), publish(event))

    await wait_until(
        lambda: (
            count_outcomes(*replicas)["sent"] == 200 and count_outcomes(*replicas)["skipped"] == 200
        ),
        timeout=60,
    )
    message_ids = [mail.message_id for mail in smtp.mails]
    assert len(message_ids) == 200
    assert set(message_ids) == {f"<{e.id}@notifier.mpp>" for e in events}
    assert all(count_outcomes(replica)["sent"] > 0 for replica in replicas)


def _stale_claim(event: Envelope, *, data_started: bool) -> dict[str, Any]:
    """A notification left `sending` by a replica that died long ago (its lease ran out)."""
    review = event.payload(ApplicationReviewedV1)
    doc: dict[str, Any] = {
        "_id": event.id,
        "account_id": review.account_id,
        "email": review.email,
        "decision": "approve",
        "application_id": review.application_id,
        "correlation_id": event.correlation_id,
        "status": "sending",
        "claim_id": "a-dead-replica",
        "lease_until": review.reviewed_at,
        "attempts": 1,
        "last_error": None,
        "created_at": review.reviewed_at,
        "updated_at": review.reviewed_at,
        "sent_at": None,
    }
    if data_started:
        doc["data_started_at"] = review.reviewed_at
    return doc


async def test_a_sender_that_died_during_data_is_failed_as_outcome_unknown_not_resent(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
    count_outcomes: CountOutcomes,
) -> None:
    notifier = await start_notifier(make_notifier_settings())
    event = new_review("approve")
    await notifications.insert_one(_stale_claim(event, data_started=True))

    await publish(event)

    async with dead_queue() as dead:
        message = await dead.next_message()
    assert message.message_id == event.id
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert doc["last_error"] == OUTCOME_UNKNOWN_STOPPED
    assert count_outcomes(notifier)["outcome_unknown"] == 1
    assert smtp.attempts == []


async def test_a_sender_that_died_before_data_is_taken_over_and_the_mail_sent_once(
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
) -> None:
    await start_notifier(make_notifier_settings())
    event = new_review("approve")
    await notifications.insert_one(_stale_claim(event, data_started=False))

    await publish(event)

    async def sent() -> bool:
        doc = await notifications.find_one({"_id": event.id})
        return doc is not None and doc["status"] == "sent"

    await wait_until(sent)
    assert len(smtp.mails) == 1
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["attempts"] == 2
    assert "data_started_at" not in doc
