"""Watch what really reaches RabbitMQ: a private queue bound to the events exchange."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from shared.bus import EVENTS_EXCHANGE


class Probe:
    def __init__(self, queue: aio_pika.abc.AbstractQueue) -> None:
        self.queue = queue

    async def next_message(self, timeout: float = 10.0) -> AbstractIncomingMessage:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            message = await self.queue.get(fail=False, no_ack=True)
            if message is not None:
                return message
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"no message on {self.queue.name} within {timeout}s")
            await asyncio.sleep(0.05)

    async def next_event(self, timeout: float = 10.0) -> dict[str, Any]:
        message = await self.next_message(timeout)
        event: dict[str, Any] = json.loads(message.body)
        return event

    async def assert_empty(self, wait: float = 0.5) -> None:
        await asyncio.sleep(wait)
        message = await self.queue.get(fail=False, no_ack=True)
        assert message is None, f"unexpected message: {message.body!r}"


@asynccontextmanager
async def events_probe(rabbitmq_url: str, routing_keys: Sequence[str]) -> AsyncIterator[Probe]:
    """A queue bound to `mpp.events`, declared the way the services declare the exchange."""
    connection = await aio_pika.connect(rabbitmq_url)
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            EVENTS_EXCHANGE,
            aio_pika.ExchangeType.TOPIC,
            durable=True,
            arguments={"alternate-exchange": "mpp.unrouted"},
        )
        queue = await channel.declare_queue(f"probe-{uuid.uuid4().hex[:8]}", exclusive=True)
        for key in routing_keys:
            await queue.bind(exchange, routing_key=key)
        yield Probe(queue)
    finally:
        await connection.close()


@asynccontextmanager
async def queue_reader(rabbitmq_url: str, name: str) -> AsyncIterator[Probe]:
    """Read an existing queue (a dead-letter queue, say) without consuming from it for good."""
    connection = await aio_pika.connect(rabbitmq_url)
    try:
        channel = await connection.channel()
        queue = await channel.get_queue(name, ensure=True)
        yield Probe(queue)
    finally:
        await connection.close()


async def wait_until(predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> None:
    """Poll an (async) predicate until it holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)


async def delete_queues(rabbitmq_url: str, names: Sequence[str]) -> None:
    """Remove a test's queues: quorum queues are heavy, and hundreds left over from earlier
    tests slow the broker down until declarations time out."""
    if not names:
        return
    connection = await aio_pika.connect(rabbitmq_url)
    try:
        channel = await connection.channel()
        for name in names:
            await channel.queue_delete(name)
    finally:
        await connection.close()
