"""The bus against the real RabbitMQ: retry with delay, dead-lettering, idempotency, reconnects."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import aio_pika
import pytest

from shared.bus import EVENTS_EXCHANGE, Bus, PermanentError
from shared.events import Envelope, EventPayload, new_event
from shared.inbox import apply_once
from shared.mongo import create_mongo_client
from tests.support.bus import delete_queues, queue_reader, wait_until
from tests.support.tcp_proxy import TcpProxy


class ThingCountedV1(EventPayload):
    TYPE: ClassVar[str] = "test.thing.counted.v1"
    thing_id: str


def _event(thing_id: str = "t1") -> Envelope:
    return new_event(ThingCountedV1(thing_id=thing_id), producer="tests")


@asynccontextmanager
async def running_bus(url: str, **subscriptions: Any) -> AsyncIterator[Bus]:
    bus = Bus(url, name="test", publish_timeout_s=5, retry_delays_ms=[100, 200], prefetch=10)
    for queue, handler in subscriptions.items():
        bus.subscribe(queue, routing_keys=[ThingCountedV1.TYPE], handler=handler)
    bus.start()
    try:
        await bus.wait_ready(10)
        yield bus
    finally:
        await bus.close()
        await delete_queues(url, bus.declared_queues)


@pytest.fixture
def queue_name() -> str:
    return f"tests_{uuid.uuid4().hex[:8]}"


async def test_a_consumer_receiving_the_same_event_twice_applies_it_once(
    rabbitmq_url: str, mongo_url: str, queue_name: str
) -> None:
    mongo = create_mongo_client(mongo_url, timeout_ms=2000)
    counters = mongo[f"test_{uuid.uuid4().hex[:8]}"]["counters"]
    deliveries: list[str] = []

    async def count(event: Envelope) -> None:
        thing = event.payload(ThingCountedV1)
        await apply_once(
            counters, document_id=thing.thing_id, event=event, update={"$inc": {"count": 1}}
        )
        deliveries.append(event.id)

    event = _event()
    async with running_bus(rabbitmq_url, **{queue_name: count}) as bus:
        await bus.publish(event)
        await bus.publish(event)
        await bus.publish(_event())  # a different event on the same thing counts
        await wait_until(lambda: len(deliveries) == 3)

    assert deliveries.count(event.id) == 2
    assert (await counters.find_one({"_id": "t1"}))["count"] == 2
    await mongo.close()


async def test_transient_failures_are_retried_through_the_delay_queues(
    rabbitmq_url: str, queue_name: str
) -> None:
    attempts: list[float] = []

    async def flaky(event: Envelope) -> None:
        attempts.append(asyncio.get_running_loop().time())
        if len(attempts) < 3:
            raise ConnectionError("temporarily down")

    async with running_bus(rabbitmq_url, **{queue_name: flaky}) as bus:
        await bus.publish(_event())
        await wait_until(lambda: len(attempts) == 3)
        await asyncio.sleep(0.5)

    assert len(attempts) == 3
    # Growing delays: 100 ms then 200 ms (the TTLs of the two retry queues).
    assert attempts[1] - attempts[0] >= 0.09
    assert attempts[2] - attempts[1] >= 0.19


async def test_a_permanent_failure_goes_to_the_dead_queue_with_its_reason(
    rabbitmq_url: str, queue_name: str
) -> None:
    calls: list[str] = []

    async def refuse(event: Envelope) -> None:
        calls.append(event.id)
        raise PermanentError("recipient does not exist")

    event = _event()
    async with running_bus(rabbitmq_url, **{queue_name: refuse}) as bus:
        await bus.publish(event)
        async with queue_reader(rabbitmq_url, f"{queue_name}.dead") as dead:
            message = await dead.next_message()

    assert calls == [event.id]  # no retry storm
    assert message.message_id == event.id
    assert message.headers["mpp-error"] == "recipient does not exist"
    assert message.headers["mpp-attempts"] == 1


async def test_retries_end_in_the_dead_queue_when_they_run_out(
    rabbitmq_url: str, queue_name: str
) -> None:
    calls: list[str] = []

    async def always_fail(event: Envelope) -> None:
        calls.append(event.id)
        raise TimeoutError("still down")

    async with running_bus(rabbitmq_url, **{queue_name: always_fail}) as bus:
        await bus.publish(_event())
        async with queue_reader(rabbitmq_url, f"{queue_name}.dead") as dead:
            message = await dead.next_message()

    assert len(calls) == 3  # the first try and one per retry delay
    assert message.headers["mpp-attempts"] == 3
    assert "still down" in message.headers["mpp-error"]


async def test_a_malformed_message_goes_to_the_dead_queue_without_calling_the_handler(
    rabbitmq_url: str, queue_name: str
) -> None:
    calls: list[str] = []

    async def handler(event: Envelope) -> None:
        calls.append(event.id)

    async with running_bus(rabbitmq_url, **{queue_name: handler}):
        connection = await aio_pika.connect(rabbitmq_url)
        channel = await connection.channel()
        exchange = await channel.get_exchange(EVENTS_EXCHANGE)
        await exchange.publish(aio_pika.Message(b"{not json"), routing_key=ThingCountedV1.TYPE)
        await connection.close()
        async with queue_reader(rabbitmq_url, f"{queue_name}.dead") as dead:
            message = await dead.next_message()

    assert calls == []
    assert message.body == b"{not json"
    assert "malformed" in message.headers["mpp-error"]


async def test_an_event_nobody_is_bound_to_is_kept_in_the_unrouted_queue(
    rabbitmq_url: str,
) -> None:
    class NobodyListensV1(EventPayload):
        TYPE: ClassVar[str] = f"test.nobody.{uuid.uuid4().hex[:6]}.v1"

    event = new_event(NobodyListensV1(), producer="tests")
    async with running_bus(rabbitmq_url) as bus:
        await bus.publish(event)  # confirmed: routed to the alternate exchange, not dropped
    async with queue_reader(rabbitmq_url, "mpp.unrouted") as unrouted:
        seen = set()
        while event.id not in seen:
            seen.add((await unrouted.next_message(timeout=5)).message_id)


async def test_consuming_resumes_after_the_connection_is_cut(
    rabbitmq_url: str, queue_name: str
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    await proxy.start()
    vhost = rabbitmq_url.rsplit("/", 1)[1]
    received: list[str] = []

    async def record(event: Envelope) -> None:
        received.append(event.id)

    url = f"amqp://guest:guest@127.0.0.1:{proxy.port}/{vhost}"
    async with running_bus(url, **{queue_name: record}) as bus:
        await bus.publish(first := _event())
        await wait_until(lambda: first.id in received)

        await proxy.cut()
        await wait_until(lambda: not bus.is_connected)
        await proxy.start()
        await wait_until(lambda: bus.is_connected, timeout=20)
        await wait_until(_publishes(bus, second := _event()), timeout=20)
        await wait_until(lambda: second.id in received, timeout=20)
    await proxy.cut()


def _publishes(bus: Bus, event: Envelope) -> Callable[[], Any]:
    async def attempt() -> bool:
        try:
            await bus.publish(event)
        except Exception:
            return False
        return True

    return attempt


async def test_closing_the_bus_lets_a_running_handler_finish_and_ack(
    rabbitmq_url: str, queue_name: str
) -> None:
    started = asyncio.Event()
    finished: list[str] = []

    async def slow(event: Envelope) -> None:
        started.set()
        await asyncio.sleep(0.5)
        finished.append(event.id)

    bus = Bus(
        rabbitmq_url, name="draining", publish_timeout_s=5, retry_delays_ms=[100], prefetch=10
    )
    bus.subscribe(queue_name, routing_keys=[ThingCountedV1.TYPE], handler=slow)
    bus.start()
    await bus.wait_ready(10)
    await bus.publish(event := _event())
    await asyncio.wait_for(started.wait(), 10)

    await bus.close()  # a shutdown in the middle of the handler

    assert finished == [event.id]
    redelivered: list[str] = []

    async def record(event: Envelope) -> None:
        redelivered.append(event.id)

    async with running_bus(rabbitmq_url, **{queue_name: record}):
        await asyncio.sleep(1)
    assert redelivered == []  # it was acked before the connection closed


async def test_a_topology_conflict_is_logged_and_retried_not_silent(
    rabbitmq_url: str, queue_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    connection = await aio_pika.connect(rabbitmq_url)
    channel = await connection.channel()
    await channel.declare_queue(queue_name, durable=True)  # classic: conflicts with quorum

    async def handler(event: Envelope) -> None:
        pass

    bus = Bus(rabbitmq_url, name="conflicted", publish_timeout_s=5, retry_delays_ms=[], prefetch=1)
    bus.subscribe(queue_name, routing_keys=[ThingCountedV1.TYPE], handler=handler)
    bus.start()
    try:
        await wait_until(lambda: "could not set up the bus" in caplog.text, timeout=10)
        assert not bus.is_connected
    finally:
        await bus.close()
        await channel.queue_delete(queue_name)
        await connection.close()


async def test_closing_while_the_set_up_is_being_retried_returns_at_once(
    rabbitmq_url: str, queue_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A set-up that started a consumer, then failed (here a stream's name is taken by a
    classic queue) and waits to retry: closing must neither cancel that consumer on the
    connection already closed nor wait for the retry."""
    stream = f"{queue_name}.stream"
    connection = await aio_pika.connect(rabbitmq_url)
    channel = await connection.channel()
    await channel.declare_queue(stream, durable=True)  # classic: conflicts with a stream

    async def handler(event: Envelope) -> None:
        pass

    bus = Bus(rabbitmq_url, name="retrying", publish_timeout_s=5, retry_delays_ms=[], prefetch=1)
    bus.subscribe(queue_name, routing_keys=[ThingCountedV1.TYPE], handler=handler)
    bus.follow_stream(
        stream, routing_keys=[ThingCountedV1.TYPE], since=lambda: datetime.now(UTC), handler=handler
    )
    bus.start()
    try:
        await wait_until(lambda: "could not set up the bus" in caplog.text, timeout=10)
        await asyncio.wait_for(bus.close(), timeout=3)
    finally:
        await channel.queue_delete(stream)
        await delete_queues(rabbitmq_url, [queue_name, f"{queue_name}.dead"])
        await connection.close()


async def test_a_stream_declared_by_a_bus_is_read_by_it_from_the_first_connection(
    rabbitmq_url: str, queue_name: str
) -> None:
    seen: list[str] = []

    async def remember(event: Envelope) -> None:
        seen.append(event.id)

    bus = Bus(rabbitmq_url, name="reader", publish_timeout_s=5, retry_delays_ms=[], prefetch=1)
    bus.follow_stream(
        f"{queue_name}.stream",
        routing_keys=[ThingCountedV1.TYPE],
        since=lambda: datetime.now(UTC) - timedelta(minutes=1),
        handler=remember,
    )
    bus.start()
    try:
        await bus.wait_ready(10)
        event = _event()
        await bus.publish(event)
        await wait_until(lambda: seen == [event.id], timeout=10)
    finally:
        await bus.close()
        await delete_queues(rabbitmq_url, bus.declared_queues)
