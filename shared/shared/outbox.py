"""Transactional outbox in one document write: events travel inside the aggregate they come from.

A use case saves its state change and the events it causes in a single atomic write: the
events are pushed into the document's `outbox` array and `outbox_due_at` is set. No
multi-document transaction is needed, so this holds on a standalone server too.

The relay scans the service's aggregate collections for due documents, claims each with a
lease (several replicas never publish the same document's events at once; a crashed replica's
claim expires), publishes its events in order with broker confirms, then pulls the confirmed
ones out. A broker outage delays events; it never loses them. A claim can be lost (lease
expired, or new events pushed meanwhile) and an event published twice: consumers are
idempotent, so at-least-once is safe.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument

from shared.bus import Bus, BusUnavailableError
from shared.events import Envelope
from shared.mongo import Database, Document, utc_now

log = logging.getLogger(__name__)

OUTBOX = "outbox"
DUE = "outbox_due_at"
CLAIMED_BY = "outbox_claimed_by"
# A failed publish is retried after this long (the broker is likely down).
_FAILED_PUBLISH_BACKOFF_S = 2.0


def outbox_index() -> IndexModel:
    """Declare it on every collection whose documents carry events."""
    return IndexModel([(DUE, ASCENDING)], sparse=True, name="outbox_due")


def with_events(document: Document, *events: Envelope) -> Document:
    """The document to insert, carrying its events."""
    return {**document, OUTBOX: [e.model_dump(mode="json") for e in events], DUE: utc_now()}


def push_events(update: dict[str, Any], *events: Envelope) -> dict[str, Any]:
    """The update to apply, also pushing its events (merged into any $push/$min it has)."""
    merged = dict(update)
    merged["$push"] = {
        **update.get("$push", {}),
        OUTBOX: {"$each": [e.model_dump(mode="json") for e in events]},
    }
    # $min: due now, unless already due earlier; a relay's lease is cut short (see module doc).
    merged["$min"] = {**update.get("$min", {}), DUE: utc_now()}
    return merged


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
        self._db = db
        self._bus = bus
        self._collections: list[str] = []
        self._lease = timedelta(seconds=lease_s)
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._owner = str(uuid.uuid4())
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def watch(self, collections: Sequence[str]) -> None:
        """The collections whose documents carry events."""
        self._collections.extend(c for c in collections if c not in self._collections)

    def wake(self) -> None:
        """Called after a write that added events: publish now rather than at the next poll."""
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
            self._wake.clear()
            try:
                published = await self.relay_once()
            except Exception:
                log.exception("outbox relay failed; retrying")
                published = 0
            if published == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval_s)

    async def relay_once(self) -> int:
        """Publish what is due in every watched collection; returns how many were sent."""
        if not self._bus.is_connected:
            return 0
        sent = 0
        for name in self._collections:
            claimed = await self._claim(name)
            results = await asyncio.gather(*(self._publish_document(name, d) for d in claimed))
            sent += sum(results)
        return sent

    async def _claim(self, collection: str) -> list[Document]:
        """Claim up to a batch of due documents. One query finds the candidates; each is then
        claimed by _id with a condition (another replica may take it first). Cheaper than one
        find-and-modify per document: the due query is the only one that is not by _id."""
        coll = self._db[collection]
        now = utc_now()
        due = coll.find(
            {DUE: {"$lte": now}},
            projection={"_id": 1},
            sort=[(DUE, ASCENDING)],
            limit=self._batch_size,
        )
        claimed = []
        async for candidate in due:
            doc = await coll.find_one_and_update(
                {"_id": candidate["_id"], DUE: {"$lte": now}},
                {"$set": {DUE: now + self._lease, CLAIMED_BY: self._owner}},
                projection={OUTBOX: 1},
                return_document=ReturnDocument.AFTER,
            )
            if doc is not None:
                claimed.append(doc)
        return claimed

    async def _publish_document(self, collection: str, doc: Document) -> int:
        """Publish one document's events in order; stop at the first that is not confirmed."""
        sent_ids: list[str] = []
        failed = False
        for raw in doc.get(OUTBOX, []):
            try:
                await self._bus.publish(Envelope.model_validate(raw))
            except BusUnavailableError as exc:
                log.warning("event %s not published: %s", raw.get("id"), exc)
                failed = True
                break
            sent_ids.append(raw["id"])
        coll = self._db[collection]
        mine = {"_id": doc["_id"], CLAIMED_BY: self._owner}
        update: dict[str, Any] = {"$unset": {CLAIMED_BY: ""}}
        if sent_ids:
            update["$pull"] = {OUTBOX: {"id": {"$in": sent_ids}}}
        if failed:
            retry_at = utc_now() + timedelta(seconds=_FAILED_PUBLISH_BACKOFF_S)
            update["$set"] = {DUE: retry_at}
        await coll.update_one(mine, update)
        if not failed:
            # Done, unless events were pushed meanwhile (then they keep the document due).
            await coll.update_one({"_id": doc["_id"], OUTBOX: {"$size": 0}}, {"$unset": {DUE: ""}})
        return len(sent_ids)
