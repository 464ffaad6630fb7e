"""Re-drive dead letters: move the messages of `<queue>.dead` back onto `<queue>`, so its
consumer processes them again, with a fresh set of retries.

    python -m shared.redrive --queue workspaces.provisioning [--limit 100] [--url amqp://...]

Each message is copied to the queue (publisher-confirmed) before it is taken off the dead
queue, so a crash in between re-drives it twice at worst: the consumers are idempotent.
Only the messages present when it starts are moved: one that fails again goes back to the
dead queue and waits for the operator, it does not loop. It uses no broker plugin (the
shovel is not installed everywhere).
"""

import argparse
import asyncio
import os

import aio_pika

from shared.bus import ATTEMPT_HEADER, DEAD_HEADERS, copy_message

REDRIVEN_HEADER = "mpp-redriven"  # how often an operator has re-driven the message


async def redrive(url: str, *, queue: str, limit: int | None = None) -> int:
    """Move up to `limit` dead letters of `queue` back to it; how many were moved."""
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        dead = await channel.get_queue(f"{queue}.dead", ensure=True)
        waiting = dead.declaration_result.message_count or 0
        moved = 0
        for _ in range(waiting if limit is None else min(waiting, limit)):
            message = await dead.get(no_ack=False, fail=False)
            if message is None:
                break
            headers = {k: v for k, v in (message.headers or {}).items() if k not in DEAD_HEADERS}
            headers.pop(ATTEMPT_HEADER, None)  # a fresh set of retries
            headers[REDRIVEN_HEADER] = int(str(headers.get(REDRIVEN_HEADER, 0))) + 1
            copy = copy_message(message, headers=headers)
            await channel.default_exchange.publish(copy, routing_key=queue, timeout=10)
            await message.ack()
            moved += 1
        return moved
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--queue", required=True, help="the consumer queue, e.g. notifier.mail-events"
    )
    parser.add_argument("--limit", type=int, default=None, help="move at most this many")
    parser.add_argument(
        "--url",
        default=os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        help="the broker (default: $RABBITMQ_URL)",
    )
    args = parser.parse_args()
    moved = asyncio.run(redrive(args.url, queue=args.queue, limit=args.limit))
    print(f"re-drove {moved} message(s) from {args.queue}.dead to {args.queue}")


if __name__ == "__main__":
    main()
