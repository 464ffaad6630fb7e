"""Transactional outbox: events saved with the state change, published by a relay.

A service inserts the event into `outbox` in the same transaction as its state change.
The relay claims pending events with a lease (so several replicas never publish the same
event at the same time, and a crashed replica's claims expire), publishes each with a
broker confirm, and marks it sent. A broker outage delays events; it never loses them.
"""

import asyncio
import contextlib
import logging
import uuid
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, IndexModel, ReturnDocument

from shared.bus import Bus, BusUnavailableError
from shared.events import Envelope
from shared.mongo import Database, Session

log = logging.getLogger(__name__)

OUTBOX = "outbox"
# Sent events are kept a week for inspection, then removed by the TTL index.
_SENT_RETENTION_S = 7 * 24 * 3600
# A failed publish is retried after this long (the broker is likely down).
_FAILED_PUBLISH_BACKOFF_S = 2.0

OUTBOX_INDEXES = {
    OUTBOX: [
        IndexModel([("status", ASCENDING), ("available_at", ASCENDING)]),
        IndexModel([("sent_at", ASCENDING)], expireAfterSeconds=_SENT_RETENTION_S),
    ]
}


async def add_to_outbox(db: Database, event: Envelope, *, session: Session) -> None:
    now = datetime.now(UTC)
    await db[OUTBOX].insert_one(
        {
            "_id": event.id,
            "type": event.type,
            "status": "pending",
            "created_at": now,
            "available_at": now,
            "attempts": 0,
            "envelope": event.model_dump(mode="json"),
        },
        session=session,
    )


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        bus: Bus,
        *,
        lease_s: float,
        poll_interval_s: float,
        batch_size: int = 100,
    ) -> None:
        self._outbox = db[OUTBOX]
        self._bus = bus
        self._lease = timedelta(seconds=lease_s)
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._owner = str(uuid.uuid4())
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Called after a commit that added events: publish now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                published = await self.relay_once()
            except Exception:
                log.exception("outbox relay failed; retrying")
                published = 0
            if published < self._batch_size:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval_s)

    async def relay_once(self) -> int:
        """Claim a batch, publish it, mark what was confirmed; returns how many were sent."""
        if not self._bus.is_connected:
            return 0
        batch = await self._claim_batch()
        if not batch:
            return 0
        results = await asyncio.gather(
            *(self._bus.publish(Envelope.model_validate(doc["envelope"])) for doc in batch),
            return_exceptions=True,
        )
        now = datetime.now(UTC)
        sent = [doc["_id"] for doc, result in zip(batch, results, strict=True) if result is None]
        failed = [
            doc["_id"] for doc, result in zip(batch, results, strict=True) if result is not None
        ]
        if sent:
            await self._outbox.update_many(
                {"_id": {"$in": sent}, "claimed_by": self._owner},
                {"$set": {"status": "sent", "sent_at": now}, "$inc": {"attempts": 1}},
            )
        if failed:
            errors = [r for r in results if isinstance(r, BaseException)]
            log.warning("%d outbox events not confirmed: %r", len(failed), errors[0])
            await self._outbox.update_many(
                {"_id": {"$in": failed}, "claimed_by": self._owner},
                {
                    "$set": {"available_at": now + timedelta(seconds=_FAILED_PUBLISH_BACKOFF_S)},
                    "$inc": {"attempts": 1},
                    "$unset": {"claimed_by": ""},
                },
            )
            for error in errors:
                if not isinstance(error, BusUnavailableError):
                    raise error
        return len(sent)

    async def _claim_batch(self) -> list[dict[str, object]]:
        batch = []
        for _ in range(self._batch_size):
            now = datetime.now(UTC)
            doc = await self._outbox.find_one_and_update(
                {"status": "pending", "available_at": {"$lte": now}},
                {"$set": {"available_at": now + self._lease, "claimed_by": self._owner}},
                sort=[("available_at", ASCENDING)],
                return_document=ReturnDocument.AFTER,
            )
            if doc is None:
                break
            batch.append(doc)
        return batch

    async def pending_count(self) -> int:
        return await self._outbox.count_documents({"status": "pending"})
