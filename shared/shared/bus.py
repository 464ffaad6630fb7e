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
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
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
from pydantic import ValidationError

from shared.events import Envelope
from shared.health import Metrics
from shared.logging import correlation_id_var

log = logging.getLogger(__name__)

EVENTS_EXCHANGE = "mpp.events"
UNROUTED_EXCHANGE = "mpp.unrouted"
DEAD_EXCHANGE = "mpp.dead"
ATTEMPT_HEADER = "mpp-attempt"
# What a dead letter carries for the operator: why, after how many attempts, when.
DEAD_HEADERS = ("mpp-error", "mpp-attempts", "mpp-failed-at")
# Redeliveries of one message without an ack (a consumer crashing on it) before RabbitMQ
# dead-letters it; 3.10 has no default for quorum queues.
DELIVERY_LIMIT = 20
# Unrouted events are kept for inspection, but never without bound.
UNROUTED_MAX_LENGTH = 100_000
# On shutdown, handlers already running get this long to finish (and ack) their message.
DRAIN_TIMEOUT_S = 10.0
# A failed topology set-up (not a connection failure: aio-pika retries those) is retried.
SETUP_RETRY_S = 5.0


class PermanentError(Exception):
    """Raised by a handler when retrying cannot help: the message goes to the dead queue."""


class BusUnavailableError(Exception):
    """The broker cannot be reached now; the caller keeps the event and tries later."""


type EventHandler = Callable[[Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    queue: str
    routing_keys: Sequence[str]
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
        self.declared_queues: list[str] = []  # what this bus declared, for operators and tests
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractChannel | None = None
        self._events: AbstractExchange | None = None
        self._ready = asyncio.Event()
        self._starting: asyncio.Task[None] | None = None
        self._consumers: list[tuple[AbstractQueue, str, _Consumer]] = []

    def subscribe(self, queue: str, *, routing_keys: Sequence[str], handler: EventHandler) -> None:
        """Register before start(); consuming begins once connected."""
        self._subscriptions.append(Subscription(queue + self._queue_suffix, routing_keys, handler))

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
        """Stop taking messages, let running handlers finish, then disconnect: a rolling
        deploy does not cut a handler off in the middle of its work."""
        for queue, tag, consumer in self._consumers:
            with contextlib.suppress(Exception):
                await queue.cancel(tag)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(consumer.idle.wait(), DRAIN_TIMEOUT_S)
        if self._starting is not None:
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._starting
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
            self.declared_queues.append(_retry_queue(name, delay_ms))
            await channel.declare_queue(
                _retry_queue(name, delay_ms),
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
        consumer = _Consumer(
            subscription,
            channel=channel,
            retry_delays_ms=self._retry_delays_ms,
            metrics=self._metrics,
        )
        tag = await queue.consume(consumer.on_message, no_ack=False)
        self._consumers.append((queue, tag, consumer))


def _retry_queue(queue: str, delay_ms: int) -> str:
    # The delay is in the name: changing the configured delays declares new queues
    # instead of failing on a queue declared with other arguments.
    return f"{queue}.retry.{delay_ms}ms"


class _Consumer:
    """Acks only after the handler's work is stored; retries through the delay queues."""

    def __init__(
        self,
        subscription: Subscription,
        *,
        channel: AbstractChannel,
        retry_delays_ms: list[int],
        metrics: Metrics,
    ) -> None:
        self._subscription = subscription
        self._metrics = metrics
        for outcome in ("handled", "retried", "dead_lettered"):
            metrics.consumed(subscription.queue, outcome)  # every series exists, at zero
        self._channel = channel
        self._retry_delays_ms = retry_delays_ms
        self._running = 0
        self.idle = asyncio.Event()
        self.idle.set()

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        self._running += 1
        self.idle.clear()
        try:
            await self._handle(message)
        finally:
            self._running -= 1
            if self._running == 0:
                self.idle.set()

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        attempt = int(str((message.headers or {}).get(ATTEMPT_HEADER, 1)))
        queue = self._subscription.queue
        try:
            event = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.error("malformed event on %s: %s", queue, exc)
            await self._dead_letter(message, attempt=attempt, error=f"malformed event: {exc}")
            return
        token = correlation_id_var.set(event.correlation_id)
        started = time.perf_counter()
        try:
            await self._subscription.handler(event)
        except PermanentError as exc:
            log.error("event %s failed permanently on %s: %s", event.id, queue, exc)
            await self._dead_letter(message, attempt=attempt, error=str(exc))
        except Exception as exc:
            if attempt > len(self._retry_delays_ms):
                log.error("event %s failed %d times on %s: %r", event.id, attempt, queue, exc)
                await self._dead_letter(message, attempt=attempt, error=repr(exc))
            else:
                delay = self._retry_delays_ms[attempt - 1]
                log.warning(
                    "event %s failed on %s (attempt %d), retry in %d ms: %r",
                    event.id,
                    queue,
                    attempt,
                    delay,
                    exc,
                )
                await self._retry(message, attempt=attempt, delay_ms=delay)
        else:
            await message.ack()
            self._metrics.consumed(queue, "handled").inc()
        finally:
            self._metrics.handling(queue).observe(time.perf_counter() - started)
            correlation_id_var.reset(token)

    async def _settle_by_forwarding(
        self, message: AbstractIncomingMessage, forward: Awaitable[object]
    ) -> bool:
        """Ack once the copy is confirmed elsewhere; if it is not, requeue the original."""
        try:
            await forward
        except Exception:
            log.exception("could not forward message %s; requeueing it", message.message_id)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
            return False
        await message.ack()
        return True

    async def _retry(
        self, message: AbstractIncomingMessage, *, attempt: int, delay_ms: int
    ) -> None:
        copy = copy_message(
            message, headers={**(message.headers or {}), ATTEMPT_HEADER: attempt + 1}
        )
        forward = self._channel.default_exchange.publish(
            copy, routing_key=_retry_queue(self._subscription.queue, delay_ms), timeout=10
        )
        if await self._settle_by_forwarding(message, forward):
            self._metrics.consumed(self._subscription.queue, "retried").inc()

    async def _dead_letter(
        self, message: AbstractIncomingMessage, *, attempt: int, error: str
    ) -> None:
        failure = (error[:2000], attempt, datetime.now(UTC).isoformat())
        headers = {**(message.headers or {}), **dict(zip(DEAD_HEADERS, failure, strict=True))}
        copy = copy_message(message, headers=headers)

        async def forward() -> None:
            exchange = await self._channel.get_exchange(DEAD_EXCHANGE, ensure=False)
            await exchange.publish(copy, routing_key=self._subscription.queue, timeout=10)

        if await self._settle_by_forwarding(message, forward()):
            self._metrics.consumed(self._subscription.queue, "dead_lettered").inc()


def copy_message(message: AbstractIncomingMessage, *, headers: dict[str, Any]) -> aio_pika.Message:
    """A persistent copy of the message (body, ids, type, time) with these headers."""
    return aio_pika.Message(
        body=message.body,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message.message_id,
        correlation_id=message.correlation_id,
        type=message.type,
        timestamp=message.timestamp,
        app_id=message.app_id,
        headers=headers,
    )
