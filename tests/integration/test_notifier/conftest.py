"""The notifier against real RabbitMQ, the Mongo wire server and an SMTP server on loopback."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pymongo.asynchronous.collection import AsyncCollection

from notifier.app import create_app
from notifier.settings import NotifierSettings
from notifier.store import NOTIFICATIONS
from shared.bus import Bus
from shared.contracts.workspaces import ApplicationReviewedV1
from shared.events import Envelope, new_event
from shared.health import METRICS_KEY
from shared.mongo import Document, create_mongo_client
from shared.runtime import BUS_KEY
from tests.support.accounts import new_email
from tests.support.bus import Probe, queue_reader
from tests.support.smtp import SmtpServer, smtp_server

type MakeNotifierSettings = Callable[..., NotifierSettings]
type StartNotifier = Callable[[NotifierSettings], Awaitable[TestClient[Any, Any]]]
type NewReview = Callable[..., Envelope]
type Publish = Callable[[Envelope], Awaitable[None]]
type DeadQueue = Callable[[], AbstractAsyncContextManager[Probe]]
type CountOutcomes = Callable[..., dict[str, float]]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def make_notifier_settings(
    make_settings: Callable[..., Any], smtp: SmtpServer
) -> MakeNotifierSettings:
    """Settings sending to the test's SMTP server; every call shares the test's database and
    queues, so apps built from them are replicas of one notifier."""

    def make(**overrides: Any) -> NotifierSettings:
        values: dict[str, Any] = {"smtp_port": smtp.port, "smtp_timeout_s": 5, **overrides}
        settings: NotifierSettings = make_settings(NotifierSettings, **values)
        return settings

    return make


@pytest.fixture
def notifier_settings(make_notifier_settings: MakeNotifierSettings) -> NotifierSettings:
    return make_notifier_settings()


@pytest.fixture
def start_notifier(serve: Callable[[web.Application], Any]) -> StartNotifier:
    """An in-process notifier whose consumer is on its queue when this returns."""

    async def start(settings: NotifierSettings) -> TestClient[Any, Any]:
        client: TestClient[Any, Any] = await serve(create_app(settings))
        await client.app[BUS_KEY].wait_ready(10)
        return client

    return start


@pytest.fixture
async def publish(rabbitmq_url: str) -> AsyncIterator[Publish]:
    """Publishes events to `mpp.events` as a producer service would (confirmed, mandatory)."""
    bus = Bus(
        rabbitmq_url, name="tests-producer", publish_timeout_s=5, retry_delays_ms=[], prefetch=1
    )
    bus.start()
    await bus.wait_ready(10)
    yield bus.publish
    await bus.close()


@pytest.fixture
def new_review() -> NewReview:
    def make(decision: str = "approve", **overrides: Any) -> Envelope:
        fields: dict[str, Any] = {
            "application_id": str(uuid.uuid4()),
            "account_id": str(uuid.uuid4()),
            "email": new_email(),
            "full_name": "Ada 李",
            "company_name": "Analytical Engines 分析机",
            "decision": decision,
            "reason": None,
            "reviewed_at": datetime.now(UTC),
            "reviewer_id": str(uuid.uuid4()),
            **overrides,
        }
        correlation_id = f"corr-{uuid.uuid4().hex[:12]}"
        payload = ApplicationReviewedV1(**fields)
        return new_event(payload, producer="workspaces", correlation_id=correlation_id)

    return make


@pytest.fixture
async def notifications(
    notifier_settings: NotifierSettings,
) -> AsyncIterator[AsyncCollection[Document]]:
    """The notifier's delivery log, read directly (the notifier may run in another process)."""
    mongo = create_mongo_client(notifier_settings.mongo_url, timeout_ms=2000)
    yield mongo[notifier_settings.mongo_database][NOTIFICATIONS]
    await mongo.close()


@pytest.fixture
def dead_queue(rabbitmq_url: str, notifier_settings: NotifierSettings) -> DeadQueue:
    """Reads the notifier's dead-letter queue (its name carries the test's queue suffix)."""
    name = f"{notifier_settings.mail_events_queue}{notifier_settings.bus_queue_suffix}.dead"
    return lambda: queue_reader(rabbitmq_url, name)


def outcomes(*notifiers: TestClient[Any, Any]) -> dict[str, float]:
    """The notifier_mail_events counter of in-process notifiers, summed over event types, by
    outcome."""
    totals: dict[str, float] = {}
    for client in notifiers:
        for metric in client.app[METRICS_KEY].registry.collect():
            for sample in metric.samples:
                if sample.name == "mpp_notifier_mail_events_total":
                    outcome = sample.labels["outcome"]
                    totals[outcome] = totals.get(outcome, 0) + sample.value
    return totals


@pytest.fixture
def count_outcomes() -> CountOutcomes:
    return outcomes


def mail_parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a received mail."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()
