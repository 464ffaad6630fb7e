"""The floor of the events benchmark: a raw aio-pika publish -> consume -> aiosmtplib send loop.

The consumer runs in its own process, as the notifier does; it takes messages from one quorum
queue with the notifier's prefetch (BUS_PREFETCH, 16), sends each as a plain-text + HTML mail
with aiosmtplib in its own SMTP conversation (as the notifier does), then acks. No database,
no templates, no retries, no envelope validation. The bench process publishes with
`publish()`, with publisher confirms, one message per review.

    python -m bench.floor_events --queue Q --smtp-port 2525   # env: RABBITMQ_URL
"""

import argparse
import asyncio
import json
import os
import signal
import time
import uuid
from email.message import EmailMessage

import aio_pika
import aiosmtplib
from aio_pika.abc import AbstractIncomingMessage

PREFETCH = 16  # the services' BUS_PREFETCH default


def declare_arguments() -> dict[str, object]:
    return {"x-queue-type": "quorum"}


async def publish(
    url: str, queue: str, recipients: list[str], *, rate: float | None, concurrency: int
) -> dict[str, float]:
    """Publish one message per recipient (persistent, confirmed): at `rate` per second, or as
    fast as `concurrency` confirms in flight allow. Returns each recipient's confirm time."""
    confirmed: dict[str, float] = {}
    connection = await aio_pika.connect_robust(url)
    try:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await channel.declare_queue(queue, durable=True, arguments=declare_arguments())

        async def one(recipient: str) -> None:
            body = {"id": str(uuid.uuid4()), "to": recipient, "decision": "approve"}
            message = aio_pika.Message(
                body=json.dumps(body).encode(),
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=body["id"],
            )
            await channel.default_exchange.publish(
                message, routing_key=queue, mandatory=True, timeout=10
            )
            confirmed[recipient] = time.monotonic()

        if rate is not None:
            started = time.monotonic()
            tasks = []
            for k, recipient in enumerate(recipients):
                await asyncio.sleep(max(0.0, started + k / rate - time.monotonic()))
                tasks.append(asyncio.create_task(one(recipient)))
            await asyncio.gather(*tasks)
        else:
            pending = list(reversed(recipients))

            async def worker() -> None:
                while pending:
                    await one(pending.pop())

            await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await connection.close()
    return confirmed


def compose(event: dict[str, str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Mini Program Platform <no-reply@mpp.local>"
    message["To"] = event["to"]
    message["Subject"] = "Your workspace application is approved / 您的工作空间申请已通过"
    message["Message-ID"] = f"<{event['id']}@floor.mpp>"
    message.set_content("Your workspace application is approved.\n您的工作空间申请已通过。\n")
    message.add_alternative(
        "<p>Your workspace application is approved.</p><p>您的工作空间申请已通过。</p>",
        subtype="html",
    )
    return message


async def consume(url: str, queue_name: str, smtp_port: int) -> None:
    connection = await aio_pika.connect_robust(url)
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=PREFETCH)
    queue = await channel.declare_queue(queue_name, durable=True, arguments=declare_arguments())

    async def on_message(message: AbstractIncomingMessage) -> None:
        event = json.loads(message.body)
        await aiosmtplib.send(compose(event), hostname="127.0.0.1", port=smtp_port, timeout=10)
        await message.ack()

    await queue.consume(on_message, no_ack=False)
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(consume(os.environ["RABBITMQ_URL"], args.queue, args.smtp_port))


if __name__ == "__main__":
    main()
