"""Re-driving dead letters really reprocesses them (real RabbitMQ)."""

import asyncio
import sys
import uuid
from typing import ClassVar

from shared.bus import Bus, PermanentError
from shared.events import Envelope, EventPayload, new_event
from shared.redrive import redrive
from tests.support.bus import delete_queues, queue_reader, wait_until


class InvoiceIssuedV1(EventPayload):
    TYPE: ClassVar[str] = "test.invoice.issued.v1"
    invoice_id: str


async def _dead_count(url: str, queue: str) -> int:
    async with queue_reader(url, f"{queue}.dead") as probe:
        result = await probe.queue.declare()
        return result.message_count or 0


async def test_a_dead_letter_redriven_after_the_fix_is_processed(rabbitmq_url: str) -> None:
    queue = f"tests_{uuid.uuid4().hex[:8]}"
    fixed: set[str] = set()  # invoices the "deployed fix" can handle
    processed: list[str] = []

    async def handle(event: Envelope) -> None:
        invoice = event.payload(InvoiceIssuedV1)
        if invoice.invoice_id not in fixed:
            raise PermanentError("bug: cannot handle this invoice")
        processed.append(invoice.invoice_id)

    bus = Bus(rabbitmq_url, name="redrive", publish_timeout_s=5, retry_delays_ms=[], prefetch=4)
    bus.subscribe(queue, routing_keys=[InvoiceIssuedV1.TYPE], handler=handle)
    bus.start()
    try:
        await bus.wait_ready(10)
        for invoice_id in ("i1", "i2"):
            await bus.publish(new_event(InvoiceIssuedV1(invoice_id=invoice_id), producer="t"))

        async def both_dead() -> bool:
            return await _dead_count(rabbitmq_url, queue) == 2

        await wait_until(both_dead)
        fixed.add("i1")  # i1's bug is fixed; i2's is not
        moved = await redrive(rabbitmq_url, queue=queue)
        await wait_until(lambda: processed == ["i1"])

        async def i2_dead_again() -> bool:
            return await _dead_count(rabbitmq_url, queue) == 1

        await wait_until(i2_dead_again)
        fixed.add("i2")
        cli = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "shared.redrive",
            "--queue",
            queue,
            "--url",
            rabbitmq_url,
            stdout=asyncio.subprocess.PIPE,
        )
        printed, _ = await asyncio.wait_for(cli.communicate(), timeout=60)
        await wait_until(lambda: processed == ["i1", "i2"])
        left = await _dead_count(rabbitmq_url, queue)
    finally:
        await bus.close()
        await delete_queues(rabbitmq_url, bus.declared_queues)

    assert moved == 2  # both were moved; i2 failed again and went back, it did not loop
    assert cli.returncode == 0
    assert f"re-drove 1 message(s) from {queue}.dead" in printed.decode()
    assert left == 0
