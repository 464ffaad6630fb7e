"""The metrics an SRE alerts on, produced by the real bus, relay and token verifier."""

import uuid
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest

from shared.auth import TokenVerifier
from shared.bus import Bus, PermanentError
from shared.events import Envelope, EventPayload, new_event
from shared.health import Metrics
from shared.mongo import Database, create_mongo_client, ensure_indexes
from shared.outbox import OutboxRelay, outbox_index, with_events
from tests.support.bus import delete_queues, wait_until


class ParcelSentV1(EventPayload):
    TYPE: ClassVar[str] = "test.parcel.sent.v1"
    parcel_id: str
    fate: str  # what the test handler does with it: ok, flaky, poison


def _value(metrics: Metrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    mongo = create_mongo_client(mongo_url, timeout_ms=2000)
    yield mongo[f"test_{uuid.uuid4().hex[:8]}"]
    await mongo.close()


async def test_a_consumer_counts_handled_retried_and_dead_lettered_messages(
    rabbitmq_url: str,
) -> None:
    metrics = Metrics()
    queue = f"tests_{uuid.uuid4().hex[:8]}"
    seen: dict[str, int] = {}

    async def handle(event: Envelope) -> None:
        parcel = event.payload(ParcelSentV1)
        seen[parcel.parcel_id] = seen.get(parcel.parcel_id, 0) + 1
        if parcel.fate == "poison":
            raise PermanentError("cannot be delivered")
        if parcel.fate == "flaky" and seen[parcel.parcel_id] == 1:
            raise ConnectionError("try again")

    bus = Bus(
        rabbitmq_url,
        name="metrics",
        publish_timeout_s=5,
        retry_delays_ms=[100],
        prefetch=10,
        metrics=metrics,
    )
    bus.subscribe(queue, routing_keys=[ParcelSentV1.TYPE], handler=handle)
    bus.start()
    try:
        await bus.wait_ready(10)
        for parcel_id, fate in [("a", "ok"), ("b", "flaky"), ("c", "poison")]:
            await bus.publish(
                new_event(ParcelSentV1(parcel_id=parcel_id, fate=fate), producer="tests")
            )
        await wait_until(
            lambda: (
                _value(metrics, "mpp_consumer_messages_total", queue=queue, outcome="handled") == 2
                and _value(
                    metrics, "mpp_consumer_messages_total", queue=queue, outcome="dead_lettered"
                )
                == 1
            )
        )
    finally:
        await bus.close()
        await delete_queues(rabbitmq_url, bus.declared_queues)

    assert _value(metrics, "mpp_consumer_messages_total", queue=queue, outcome="retried") == 1
    assert _value(metrics, "mpp_consumer_handler_duration_seconds_count", queue=queue) == 4


async def test_the_relay_counts_publishes_and_failures_and_measures_its_backlog(
    db: Database, rabbitmq_url: str
) -> None:
    metrics = Metrics()
    await ensure_indexes(db, {"parcels": [outbox_index()]})
    for i in range(3):
        event = new_event(ParcelSentV1(parcel_id=f"p{i}", fate="ok"), producer="tests")
        await db.parcels.insert_one(with_events({"_id": f"p{i}"}, event))
    bus = Bus(rabbitmq_url, name="relay", publish_timeout_s=5, retry_delays_ms=[], prefetch=1)
    relay = OutboxRelay(db, bus, lease_s=30, poll_interval_s=0.1, metrics=metrics)
    relay.watch(["parcels"])

    await relay.measure_backlog()  # the bus is not even connected: all three wait
    backlog_before = _value(metrics, "mpp_outbox_backlog_documents", collection="parcels")
    waited = _value(metrics, "mpp_outbox_oldest_due_age_seconds", collection="parcels")
    bus.start()
    try:
        await bus.wait_ready(10)
        for i in range(3):
            relay.wake("parcels", f"p{i}")  # as the writer of each would
        published = await relay.relay_once()
        await relay.measure_backlog()
    finally:
        await bus.close()

    assert backlog_before == 3
    assert waited >= 0
    assert published == 3
    assert _value(metrics, "mpp_outbox_events_published_total") == 3
    assert _value(metrics, "mpp_outbox_backlog_documents", collection="parcels") == 0
    assert _value(metrics, "mpp_outbox_oldest_due_age_seconds", collection="parcels") == 0


async def test_an_unconfirmed_publish_counts_as_a_failure(db: Database) -> None:
    class RefusingBus(Bus):
        """A real Bus that believes it is connected but cannot publish: the moment a broker
        connection has just dropped."""

        @property
        def is_connected(self) -> bool:
            return True

    metrics = Metrics()
    await db.parcels.insert_one(
        with_events(
            {"_id": "p1"}, new_event(ParcelSentV1(parcel_id="p1", fate="ok"), producer="tests")
        )
    )
    bus = RefusingBus(
        "amqp://guest:guest@127.0.0.1:1/",
        name="refusing",
        publish_timeout_s=0.5,
        retry_delays_ms=[],
        prefetch=1,
    )
    relay = OutboxRelay(db, bus, lease_s=30, poll_interval_s=0.1, metrics=metrics)
    relay.watch(["parcels"])
    relay.wake("parcels", "p1")

    assert await relay.relay_once() == 0
    assert _value(metrics, "mpp_outbox_publish_failures_total") == 1
    assert _value(metrics, "mpp_outbox_events_published_total") == 0


async def test_a_failed_key_fetch_counts_as_a_jwks_refresh_failure() -> None:
    metrics = Metrics()

    async def unreachable() -> dict[str, Any]:
        raise TimeoutError("accounts is down")

    verifier = TokenVerifier(
        issuer="mpp-accounts",
        audience="mpp",
        load_jwks=unreachable,
        on_refresh_failure=metrics.jwks_failures.inc,
    )
    with pytest.raises(Exception, match="cannot be fetched"):
        await verifier.verify("eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.e30.c2ln")

    assert _value(metrics, "mpp_jwks_refresh_failures_total") == 1


def test_process_and_gc_collectors_are_exposed() -> None:
    metrics = Metrics()

    assert metrics.registry.get_sample_value("process_cpu_seconds_total") is not None
    assert (
        metrics.registry.get_sample_value("python_gc_objects_collected_total", {"generation": "0"})
        is not None
    )
