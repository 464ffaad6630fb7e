"""What an operator sees of the notifier, against real RabbitMQ and a real SMTP server:
SMTP connect failures counted by reason."""

import re
from typing import Any

from aiohttp.test_utils import TestClient
from pymongo.asynchronous.collection import AsyncCollection

from notifier.settings import NotifierSettings
from shared.mongo import Document
from tests.support.infra import free_port
from tests.support.smtp import SmtpServer

from .conftest import DeadQueue, MakeNotifierSettings, NewReview, Publish, StartNotifier

CONNECT_REASONS = {"refused", "timeout", "tls", "unreachable"}


async def _metric(notifier: TestClient[Any, Any], name: str) -> dict[str, float]:
    """One counter of /metrics as exposed, by its only label's value."""
    text = await (await notifier.get("/metrics")).text()
    pattern = rf'^{name}{{\w+="(\w+)"}} (\S+)$'
    return {label: float(value) for label, value in re.findall(pattern, text, re.MULTILINE)}


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
