"""Consuming one queue: ack only after the handler's work is stored, retry a transient
failure through the delay queues, dead-letter a permanent one (see bus.py for the topology)."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from pydantic import ValidationError

from shared.events import Envelope
from shared.health import Metrics
from shared.logging import correlation_id_var

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "mpp-attempt"
# What a dead letter carries for the operator: why, after how many attempts, when.
DEAD_HEADERS = ("mpp-error", "mpp-attempts", "mpp-failed-at")
DEAD_EXCHANGE = "mpp.dead"


class PermanentError(Exception):
    """Raised by a handler when retrying cannot help: the message goes to the dead queue."""


type EventHandler = Callable[[Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    queue: str
    routing_keys: Sequence[str]
    handler: EventHandler


def retry_queue(queue: str, delay_ms: int) -> str:
    # The delay is in the name: changing the configured delays declares new queues
    # instead of failing on a queue declared with other arguments.
    return f"{queue}.retry.{delay_ms}ms"


class Consumer:
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
            copy, routing_key=retry_queue(self._subscription.queue, delay_ms), timeout=10
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
