"""The outbox relay against real Mongo (wire) and RabbitMQ: several replicas, no loss."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest

from shared.bus import Bus
from shared.events import Envelope, EventPayload, new_event
from shared.mongo import Database, create_mongo_client, ensure_indexes
from shared.outbox import OUTBOX, OutboxRelay, outbox_index, push_events, with_events
from tests.support.bus import events_probe, wait_until


class OrderPlacedV1(EventPayload):
    TYPE: ClassVar[str] = "test.order.placed.v1"
    order_id: str
    n: int


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    """A database of its own on the wire server."""
    mongo = create_mongo_client(mongo_url, timeout_ms=2000)
    yield mongo[f"test_{uuid.uuid4().hex[:8]}"]
    await mongo.close()


async def _relay_bus(rabbitmq_url: str) -> Bus:
    bus = Bus(rabbitmq_url, name="relay", publish_timeout_s=5, retry_delays_ms=[], prefetch=1)
    bus.start()
    await bus.wait_ready(10)
    return bus


async def test_three_relay_replicas_publish_every_event_exactly_once(
    db: Database, rabbitmq_url: str
) -> None:
    await ensure_indexes(db, {"orders": [outbox_index()]})
    for i in range(40):
        event = new_event(OrderPlacedV1(order_id=f"o{i}", n=0), producer="tests")
        await db.orders.insert_one(with_events({"_id": f"o{i}"}, event))
    # A second event on some orders, pushed by a later update: order must hold per order.
    for i in range(0, 40, 4):
        event = new_event(OrderPlacedV1(order_id=f"o{i}", n=1), producer="tests")
        await db.orders.update_one({"_id": f"o{i}"}, push_events({"$set": {"x": 1}}, event))

    buses = [
        Bus(rabbitmq_url, name=f"relay-{i}", publish_timeout_s=5, retry_delays_ms=[], prefetch=1)
        for i in range(3)
    ]
    relays = [OutboxRelay(db, bus, lease_s=30, poll_interval_s=0.1, batch_size=7) for bus in buses]
    async with events_probe(rabbitmq_url, [OrderPlacedV1.TYPE]) as probe:
        for bus, relay in zip(buses, relays, strict=True):
            bus.start()
            await bus.wait_ready(10)
            relay.watch(["orders"])
            relay.start()
        received: list[dict[str, Any]] = []
        while len(received) < 50:
            received.append(await probe.next_event())
        await probe.assert_empty(wait=0.5)
        for relay, bus in zip(relays, buses, strict=True):
            await relay.stop()
            await bus.close()

    assert len({e["id"] for e in received}) == 50
    for i in range(0, 40, 4):
        mine = [e["data"]["n"] for e in received if e["data"]["order_id"] == f"o{i}"]
        assert mine == [0, 1]
    assert await db.orders.count_documents({f"{OUTBOX}.0": {"$exists": True}}) == 0
    assert await db.orders.count_documents({"outbox_due_at": {"$exists": True}}) == 0


async def test_a_crashed_relays_claim_expires_and_another_publishes(
    db: Database, rabbitmq_url: str
) -> None:
    event = new_event(OrderPlacedV1(order_id="o1", n=0), producer="tests")
    await db.orders.insert_one(with_events({"_id": "o1"}, event))
    bus = await _relay_bus(rabbitmq_url)
    # "Crash": a relay that claims and never publishes (its bus is not connected).
    dead_bus = Bus(
        "amqp://guest:guest@127.0.0.1:1/",
        name="dead",
        publish_timeout_s=1,
        retry_delays_ms=[],
        prefetch=1,
    )
    crashed = OutboxRelay(db, dead_bus, lease_s=0.5, poll_interval_s=0.1)
    crashed.watch(["orders"])
    claimed = await crashed._claim("orders", "o1")
    assert claimed is not None

    survivor = OutboxRelay(db, bus, lease_s=30, poll_interval_s=0.1)
    survivor.watch(["orders"])
    async with events_probe(rabbitmq_url, [OrderPlacedV1.TYPE]) as probe:
        assert await survivor.relay_once() == 0  # still leased by the crashed replica
        await asyncio.sleep(0.6)
        await wait_until(lambda: survivor.relay_once(), timeout=5)
        assert (await probe.next_event())["id"] == event.id
    await bus.close()


async def test_a_told_document_is_published_at_once_and_others_once_overdue(
    db: Database, rabbitmq_url: str
) -> None:
    told = new_event(OrderPlacedV1(order_id="told", n=0), producer="tests")
    untold = new_event(OrderPlacedV1(order_id="untold", n=0), producer="tests")
    await db.orders.insert_one(with_events({"_id": "told"}, told))
    await db.orders.insert_one(with_events({"_id": "untold"}, untold))
    bus = await _relay_bus(rabbitmq_url)
    relay = OutboxRelay(db, bus, lease_s=30, poll_interval_s=0.5)
    relay.watch(["orders"])
    async with events_probe(rabbitmq_url, [OrderPlacedV1.TYPE]) as probe:
        relay.wake("orders", "told")

        assert await relay.relay_once(sweep=False) == 1
        assert (await probe.next_event())["id"] == told.id
        # A sweep leaves a fresh document to the relay its writer told; its writer may be
        # another replica (or have died), so once overdue a sweep takes it.
        assert await relay.relay_once(sweep=True) == 0
        await asyncio.sleep(0.5)
        assert await relay.relay_once(sweep=True) == 1
        assert (await probe.next_event())["id"] == untold.id
    await bus.close()


async def test_an_event_pushed_while_the_relay_publishes_stays_due_and_follows(
    db: Database, rabbitmq_url: str
) -> None:
    first = new_event(OrderPlacedV1(order_id="o1", n=0), producer="tests")
    second = new_event(OrderPlacedV1(order_id="o1", n=1), producer="tests")
    await db.orders.insert_one(with_events({"_id": "o1"}, first))
    bus = await _relay_bus(rabbitmq_url)
    publish = bus.publish

    async def publish_then_a_writer_pushes(event: Envelope) -> None:
        await publish(event)
        if event.id == first.id:
            await db.orders.update_one({"_id": "o1"}, push_events({"$set": {"x": 1}}, second))
            relay.wake("orders", "o1")

    bus.publish = publish_then_a_writer_pushes  # type: ignore[method-assign]
    relay = OutboxRelay(db, bus, lease_s=30, poll_interval_s=60)
    relay.watch(["orders"])
    async with events_probe(rabbitmq_url, [OrderPlacedV1.TYPE]) as probe:
        relay.wake("orders", "o1")
        assert await relay.relay_once(sweep=False) == 1
        order = await db.orders.find_one({"_id": "o1"})
        assert order is not None
        assert [e["id"] for e in order[OUTBOX]] == [second.id]
        assert "outbox_due_at" in order

        assert await relay.relay_once(sweep=False) == 1
        assert [(await probe.next_event())["id"] for _ in range(2)] == [first.id, second.id]
    order = await db.orders.find_one({"_id": "o1"})
    assert order is not None
    assert order[OUTBOX] == []
    assert "outbox_due_at" not in order
    await bus.close()
