"""The event bus over RabbitMQ (aio-pika): topology, confirmed publishing, consuming with retry.

Topology (declared idempotently by every service on connect):
- `mpp.events` topic exchange, routing key = event type, alternate exchange `mpp.unrouted`
  (fanout to a bounded queue) so an event nobody is bound to yet is kept, not dropped.
- per consumer queue Q: quorum, `x-delivery-limit`, dead-letters to `mpp.dead` with key Q.
- `Q.retry.<ms>ms`: one quorum queue per retry delay; its TTL dead-letters back to Q only.
- `Q.dead`: bound to `mpp.dead` with key Q; no consumer, for an operator to inspect and re-drive.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from aio_pika.connection import make_url

from shared.consuming import (
    ATTEMPT_HEADER,
    DEAD_EXCHANGE,
    DEAD_HEADERS,
    Consumer,
    EventHandler,
    PermanentError,
    Subscription,
    copy_message,
    retry_queue,
)
from shared.events import Envelope
from shared.health import Metrics

log = logging.getLogger(__name__)

EVENTS_EXCHANGE = "mpp.events"
UNROUTED_EXCHANGE = "mpp.unrouted"
# Redeliveries of one message without an ack (a consumer crashing on it) before RabbitMQ
# dead-letters it; 3.10 has no default for quorum queues.
DELIVERY_LIMIT = 20
# Unrouted events are kept for inspection, but never without bound.
UNROUTED_MAX_LENGTH = 100_000
# On shutdown, handlers already running get this long to finish (and ack) their message.
DRAIN_TIMEOUT_S = 10.0
# A failed topology set-up (not a connection failure: aio-pika retries those) is retried.
SETUP_RETRY_S = 5.0
# What a stream keeps: far more than any reader looks back, still bounded. Fixed, since a
# stream declared again with other arguments is refused.
STREAM_ARGUMENTS = {
    "x-queue-type": "stream",
    "x-max-age": "1D",
    "x-max-length-bytes": 100 * 1024 * 1024,
    # Small segments, so old messages are dropped by age (retention goes segment by segment).
    "x-stream-max-segment-size-bytes": 1024 * 1024,
}
# A stream reader needs credit: messages delivered before the previous ones are acked.
STREAM_PREFETCH = 100
# A stream just declared may refuse a consumer for a moment ("does not have a replica on the
# local node") while its member starts: try again this often, this long apart.
STREAM_CONSUME_ATTEMPTS = 25
STREAM_CONSUME_RETRY_S = 0.2
# Cancelling a consumer on shutdown waits this long at most (its channel may be gone).
CANCEL_TIMEOUT_S = 5.0


class BusUnavailableError(Exception):
    """The broker cannot be reached now; the caller keeps the event and tries later."""


@dataclass(frozen=True)
class StreamReader:
    """Every replica reads the whole stream from `since()` on (not a share of a queue)."""

    stream: str
    routing_keys: Sequence[str]
    since: Callable[[], datetime]
    handler: EventHandler


def _quorum(**arguments: Any) -> dict[str, Any]:
    return {"x-queue-type": "quorum", **arguments}


class Bus:
    """One robust connection; a confirmed publishing channel; one channel per subscription."""

    def __init__(
        self,
        url: str,
        *,
        name: str,
        publish_timeout_s: float,
        retry_delays_ms: Sequence[int],
        prefetch: int,
        queue_suffix: str = "",
        metrics: Metrics | None = None,
    ) -> None:
        self._url = url
        self._metrics = metrics or Metrics()
        self._name = name
        self._publish_timeout_s = publish_timeout_s
        self._retry_delays_ms = list(retry_delays_ms)
        self._prefetch = prefetch
        self._queue_suffix = queue_suffix
        self._subscriptions: list[Subscription] = []
        self._readers: list[StreamReader] = []
        self.declared_queues: list[str] = []  # what this bus declared, for operators and tests
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractChannel | None = None
        self._events: AbstractExchange | None = None
        self._ready = asyncio.Event()
        self._starting: asyncio.Task[None] | None = None
        self._consumers: list[tuple[AbstractQueue, str, Consumer]] = []

    def subscribe(self, queue: str, *, routing_keys: Sequence[str], handler: EventHandler) -> None:
        """Register before start(); consuming begins once connected."""
        self._subscriptions.append(Subscription(queue + self._queue_suffix, routing_keys, handler))

    def follow_stream(
        self,
        stream: str,
        *,
        routing_keys: Sequence[str],
        since: Callable[[], datetime],
        handler: EventHandler,
    ) -> None:
        """Register before start(): every replica gets every event of these types, from
        `since()` on (read again at each connection), through a RabbitMQ stream bound to the
        events exchange. Unlike a consumer queue, nothing is retried or dead-lettered: the
        handler must not fail (a failure is logged and the event skipped)."""
        self._readers.append(
            StreamReader(stream + self._queue_suffix, routing_keys, since, handler)
        )

    def start(self) -> None:
        """Connect in the background: a service starts (and reports not ready) without a broker."""
        self._starting = asyncio.create_task(self._connect(), name=f"bus-connect-{self._name}")

    @property
    def is_connected(self) -> bool:
        return (
            self._ready.is_set()
            and self._connection is not None
            and not self._connection.is_closed
            and self._connection.connected.is_set()
        )

    async def wait_ready(self, timeout_s: float) -> None:
        try:
            await asyncio.wait_for(self._ready.wait(), timeout_s)
        except TimeoutError as exc:
            raise BusUnavailableError("the broker is not reachable") from exc

    async def close(self) -> None:
        """Stop connecting, stop taking messages, let running handlers finish, then
        disconnect: a rolling deploy does not cut a handler off in the middle of its work."""
        if self._starting is not None:
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._starting
        for queue, tag, consumer in self._consumers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(queue.cancel(tag), CANCEL_TIMEOUT_S)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(consumer.idle.wait(), DRAIN_TIMEOUT_S)
        if self._connection is not None:
            await self._connection.close()

    async def publish(self, event: Envelope) -> None:
        """Publish with a broker confirm; raises BusUnavailableError if not confirmed."""
        if not self.is_connected or self._events is None:
            raise BusUnavailableError("the broker is not reachable")
        message = aio_pika.Message(
            body=event.model_dump_json().encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=event.id,
            correlation_id=event.correlation_id,
            type=event.type,
            timestamp=event.occurred_at,
            app_id=event.producer,
        )
        try:
            await self._events.publish(
                message, routing_key=event.type, mandatory=True, timeout=self._publish_timeout_s
            )
        except (aio_pika.exceptions.AMQPError, TimeoutError, ConnectionError, RuntimeError) as exc:
            raise BusUnavailableError(f"event {event.id} not confirmed: {exc!r}") from exc

    # --- connection and topology ---------------------------------------------------------

    async def _connect(self) -> None:
        while True:
            try:
                await self._open()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                # E.g. a queue declared earlier with other arguments: say so, keep trying.
                log.exception("could not set up the bus; retrying in %s s", SETUP_RETRY_S)
                self._consumers = []  # of the connection closed here: nothing to cancel
                if self._connection is not None:
                    with contextlib.suppress(Exception):
                        await self._connection.close()
                await asyncio.sleep(SETUP_RETRY_S)

    async def _open(self) -> None:
        self.declared_queues = []
        self._consumers = []
        # Built here rather than with connect_robust() so that close() can stop it even while
        # the first connection is still being retried (fail_fast=False retries forever).
        connection = aio_pika.RobustConnection(
            make_url(self._url, fail_fast=False, reconnect_interval=1),
            client_properties={"connection_name": self._name},
        )
        self._connection = connection
        await connection.connect()
        # on_return_raises: an unroutable mandatory publish must fail, not "succeed".
        self._publisher = await connection.channel(publisher_confirms=True, on_return_raises=True)
        self._events = await self._declare_topology(self._publisher)
        for subscription in self._subscriptions:
            await self._start_consumer(subscription)
        for reader in self._readers:
            await self._start_reader(reader)
        self._ready.set()
        log.info("bus connected", extra={"subscriptions": len(self._subscriptions)})

    @staticmethod
    async def _declare_topology(channel: AbstractChannel) -> AbstractExchange:
        unrouted = await channel.declare_exchange(
            UNROUTED_EXCHANGE, aio_pika.ExchangeType.FANOUT, durable=True
        )
        unrouted_queue = await channel.declare_queue(
            UNROUTED_EXCHANGE,
            durable=True,
            arguments=_quorum(**{"x-max-length": UNROUTED_MAX_LENGTH}),
        )
        await unrouted_queue.bind(unrouted)
        await channel.declare_exchange(DEAD_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True)
        return await channel.declare_exchange(
            EVENTS_EXCHANGE,
            aio_pika.ExchangeType.TOPIC,
            durable=True,
            arguments={"alternate-exchange": UNROUTED_EXCHANGE},
        )

    async def _start_consumer(self, subscription: Subscription) -> None:
        assert self._connection is not None
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        await channel.set_qos(prefetch_count=self._prefetch)
        name = subscription.queue
        dead = await channel.declare_queue(f"{name}.dead", durable=True, arguments=_quorum())
        await dead.bind(DEAD_EXCHANGE, routing_key=name)
        self.declared_queues.append(dead.name)
        for delay_ms in self._retry_delays_ms:
            self.declared_queues.append(retry_queue(name, delay_ms))
            await channel.declare_queue(
                retry_queue(name, delay_ms),
                durable=True,
                arguments=_quorum(
                    **{
                        "x-message-ttl": delay_ms,
                        "x-dead-letter-exchange": "",
                        "x-dead-letter-routing-key": name,
                    }
                ),
            )
        queue = await channel.declare_queue(
            name,
            durable=True,
            arguments=_quorum(
                **{
                    "x-delivery-limit": DELIVERY_LIMIT,
                    "x-dead-letter-exchange": DEAD_EXCHANGE,
                    "x-dead-letter-routing-key": name,
                }
            ),
        )
        self.declared_queues.append(name)
        for key in subscription.routing_keys:
            await queue.bind(EVENTS_EXCHANGE, routing_key=key)
        consumer = Consumer(
            subscription,
            channel=channel,
            retry_delays_ms=self._retry_delays_ms,
            metrics=self._metrics,
        )
        tag = await queue.consume(consumer.on_message, no_ack=False)
        self._consumers.append((queue, tag, consumer))

    async def _start_reader(self, reader: StreamReader) -> None:
        assert self._connection is not None
        for attempt in range(1, STREAM_CONSUME_ATTEMPTS + 1):
            # A refused consume closes its channel: each attempt has a new one.
            channel = await self._connection.channel()
            await channel.set_qos(prefetch_count=STREAM_PREFETCH)
            stream = await channel.declare_queue(
                reader.stream, durable=True, arguments=STREAM_ARGUMENTS
            )
            for key in reader.routing_keys:
                await stream.bind(EVENTS_EXCHANGE, routing_key=key)
            try:
                # A reconnection (aio-pika restores the consumer) reads again from the same
                # offset: the handlers are idempotent.
                await stream.consume(
                    _stream_handler(reader), arguments={"x-stream-offset": reader.since()}
                )
                break
            except aio_pika.exceptions.ChannelPreconditionFailed:
                if attempt == STREAM_CONSUME_ATTEMPTS:
                    raise
                await asyncio.sleep(STREAM_CONSUME_RETRY_S)
        self.declared_queues.append(reader.stream)


def _stream_handler(reader: StreamReader) -> Callable[[AbstractIncomingMessage], Any]:
    async def on_message(message: AbstractIncomingMessage) -> None:
        try:
            await reader.handler(Envelope.model_validate_json(message.body))
        except Exception:
            log.exception("could not apply a message of the stream %s", reader.stream)
        await message.ack()

    return on_message


__all__ = [
    "ATTEMPT_HEADER",
    "DEAD_HEADERS",
    "EVENTS_EXCHANGE",
    "Bus",
    "BusUnavailableError",
    "PermanentError",
    "copy_message",
]
