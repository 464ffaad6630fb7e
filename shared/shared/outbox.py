"""Transactional outbox in one document write: events travel inside the aggregate they come from.

A use case saves its state change and the events it causes in a single atomic write: the
events are pushed into the document's `outbox` array and `outbox_due_at` is set. No
multi-document transaction is needed, so this holds on a standalone server too.

The relay claims each due document with a lease (several replicas never publish the same
document's events at once; a crashed replica's claim expires), publishes its events in order
with broker confirms, then takes the confirmed ones out. A write that saved events tells its
process's relay which document (`EventsSaved`), which claims it by _id at once; a sweep every
poll interval finds documents overdue for other reasons (a writer that died before its relay
ran, a failed publish, the expired claim of a crashed replica). A broker outage delays
events; it never loses them. A claim can be lost (lease expired, or new events pushed
meanwhile) and an event published twice: consumers are idempotent, so at-least-once is safe.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from shared.bus import Bus, BusUnavailableError
from shared.events import Envelope, EventPayload, new_event
from shared.health import Metrics
from shared.logging import correlation_id_var
from shared.mongo import Database, Document, utc_now
from shared.tracing import within_trace

log = logging.getLogger(__name__)

OUTBOX = "outbox"
DUE = "outbox_due_at"
CLAIMED_BY = "outbox_claimed_by"
# A failed publish is retried after this long (the broker is likely down).
_FAILED_PUBLISH_BACKOFF_S = 2.0
# The backlog gauges are refreshed this often: a scrape interval, not every poll (two queries
# per watched collection).
_BACKLOG_MEASURE_INTERVAL_S = 15.0

# Told after a write that saved events: (collection, the document's _id).
type EventsSaved = Callable[[str, Any], None]


def outbox_index() -> IndexModel:
    """Declare it on every collection whose documents carry events."""
    return IndexModel([(DUE, ASCENDING)], sparse=True, name="outbox_due")


def with_events(document: Document, *events: Envelope) -> Document:
    """The document to insert, carrying its events."""
    return {**document, OUTBOX: [e.model_dump(mode="json") for e in events], DUE: utc_now()}


def push_events(update: Document, *events: Envelope) -> Document:
    """The update to apply, also pushing its events (merged into any $push/$min it has)."""
    merged = dict(update)
    merged["$push"] = {
        **update.get("$push", {}),
        OUTBOX: {"$each": [e.model_dump(mode="json") for e in events]},
    }
    # $min: due now, unless already due earlier; a relay's lease is cut short (see module doc).
    merged["$min"] = {**update.get("$min", {}), DUE: utc_now()}
    return merged


# What a read of an event-carrying document leaves out: the outbox is the relay's business.
WITHOUT_OUTBOX = {OUTBOX: 0, DUE: 0, CLAIMED_BY: 0}


class EventWriter:
    """The one way a service saves events: it wraps each payload in an envelope (this
    service as producer, the current request's correlation id, the causing event), writes
    them with the state change in one document write, and tells the relay which document
    holds them, so they are published at once rather than at the next sweep."""

    def __init__(self, *, producer: str, saved: EventsSaved) -> None:
        self._producer = producer
        self._saved = saved

    def envelope(self, payload: EventPayload, *, causation_id: str | None = None) -> Envelope:
        return new_event(
            payload,
            producer=self._producer,
            correlation_id=correlation_id_var.get(),
            causation_id=causation_id,
        )

    async def insert(
        self,
        collection: AsyncCollection[Document],
        document: Document,
        *,
        events: Sequence[EventPayload],
        causation_id: str | None = None,
    ) -> None:
        """Insert the document carrying its events (DuplicateKeyError passes through)."""
        envelopes = [self.envelope(e, causation_id=causation_id) for e in events]
        await collection.insert_one(with_events(document, *envelopes))
        self._saved(collection.name, document["_id"])

    async def update(
        self,
        collection: AsyncCollection[Document],
        *,
        query: Document,
        update: Document,
        events: Sequence[EventPayload],
        causation_id: str | None = None,
    ) -> Document | None:
        """Apply `update` and push its events to the one document `query` matches; the
        document as it is after, or None when nothing matched (and nothing was saved)."""
        envelopes = [self.envelope(e, causation_id=causation_id) for e in events]
        changed = await collection.find_one_and_update(
            query,
            push_events(update, *envelopes),
            projection=WITHOUT_OUTBOX,
            return_document=ReturnDocument.AFTER,
        )
        if changed is not None:
            self._saved(collection.name, changed["_id"])
        return changed


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        bus: Bus,
        *,
        lease_s: float,
        poll_interval_s: float,
        batch_size: int = 100,
        metrics: Metrics | None = None,
    ) -> None:
        self._db = db
        self._metrics = metrics or Metrics()
        self._bus = bus
        self._collections: list[str] = []
        self._lease = timedelta(seconds=lease_s)
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._owner = str(uuid.uuid4())
        self._wake = asyncio.Event()
        self._saved: dict[str, set[Any]] = {}  # collection -> ids told by wake()
        self._task: asyncio.Task[None] | None = None

    def watch(self, collections: Sequence[str]) -> None:
        """The collections whose documents carry events."""
        self._collections.extend(c for c in collections if c not in self._collections)

    def wake(self, collection: str, document_id: Any) -> None:
        """An EventsSaved: publish that document's events now rather than at the next sweep."""
        self._saved.setdefault(collection, set()).add(document_id)
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        next_sweep = next_measure = time.monotonic()
        while True:
            if time.monotonic() >= next_measure:
                next_measure = time.monotonic() + _BACKLOG_MEASURE_INTERVAL_S
                try:
                    await self.measure_backlog()
                except Exception:
                    log.warning("could not measure the outbox backlog", exc_info=True)
            self._wake.clear()
            sweep = time.monotonic() >= next_sweep
            try:
                _, more_due = await self._relay(sweep=sweep)
            except Exception:
                log.exception("outbox relay failed; retrying")
                more_due = False
            if sweep:
                next_sweep = time.monotonic() + (0 if more_due else self._poll_interval_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0, next_sweep - time.monotonic()))

    async def relay_once(self, *, sweep: bool = True) -> int:
        """Publish the events of the documents told by wake(), and with `sweep` of up to a
        batch of overdue documents per watched collection; returns how many were sent."""
        published, _ = await self._relay(sweep=sweep)
        return published

    async def _relay(self, *, sweep: bool) -> tuple[int, bool]:
        """(events sent, whether a sweep found a full batch: more may be overdue)."""
        if not self._bus.is_connected:
            self._saved.clear()  # they stay due: a sweep after the broker is back finds them
            return 0, False
        sent, more_due = 0, False
        for name in self._collections:
            candidates = self._saved.pop(name, set())
            if sweep:
                overdue = await self._overdue(name)
                more_due = more_due or len(overdue) == self._batch_size
                candidates |= overdue
            claimed = await asyncio.gather(*(self._claim(name, i) for i in candidates))
            results = await asyncio.gather(
                *(self._publish_document(name, d) for d in claimed if d is not None)
            )
            sent += sum(results)
        return sent, more_due

    async def measure_backlog(self) -> None:
        """Set the backlog gauges: documents holding unpublished events, and how long the
        longest-waiting due one has waited."""
        now = utc_now()
        for name in self._collections:
            coll = self._db[name]
            self._metrics.backlog(name).set(await coll.count_documents({DUE: {"$exists": True}}))
            oldest = await coll.find_one(
                {DUE: {"$exists": True}}, projection={DUE: 1}, sort=[(DUE, ASCENDING)]
            )
            waited = (now - oldest[DUE]).total_seconds() if oldest else 0.0
            self._metrics.oldest_due(name).set(max(0.0, waited))

    async def _overdue(self, collection: str) -> set[Any]:
        """The ids of up to a batch of documents due for over a poll interval, the longest
        due first: those no relay was told about, whose publish failed, or whose claim
        expired. (Fresh ones are left to the relay their writer told.)"""
        overdue_at = utc_now() - timedelta(seconds=self._poll_interval_s)
        due = self._db[collection].find(
            {DUE: {"$lte": overdue_at}},
            projection={"_id": 1},
            sort=[(DUE, ASCENDING)],
            limit=self._batch_size,
        )
        return {doc["_id"] async for doc in due}

    async def _claim(self, collection: str, document_id: Any) -> Document | None:
        """Lease the document if it is due (another replica may have taken it first)."""
        now = utc_now()
        return await self._db[collection].find_one_and_update(
            {"_id": document_id, DUE: {"$lte": now}},
            {"$set": {DUE: now + self._lease, CLAIMED_BY: self._owner}},
            projection={OUTBOX: 1},
            return_document=ReturnDocument.AFTER,
        )

    async def _publish_document(self, collection: str, doc: Document) -> int:
        """Publish one document's events in order; stop at the first that is not confirmed."""
        sent_ids: list[str] = []
        failed = False
        for raw in doc.get(OUTBOX, []):
            event = Envelope.model_validate(raw)
            try:
                with within_trace(event.trace_context):  # the request's, not the relay's
                    await self._bus.publish(event)
            except BusUnavailableError as exc:
                log.warning("event %s not published: %s", raw.get("id"), exc)
                self._metrics.publish_failures.inc()
                failed = True
                break
            self._metrics.published.inc()
            sent_ids.append(raw["id"])
        coll = self._db[collection]
        mine = {"_id": doc["_id"], CLAIMED_BY: self._owner}
        if not failed:
            # Usually nothing was pushed meanwhile: writers only push and only the claim's
            # holder takes out, so an outbox of the claimed size holds just what was sent.
            # Then one write empties it and ends the claim.
            emptied = await coll.update_one(
                {**mine, OUTBOX: {"$size": len(sent_ids)}},
                {"$set": {OUTBOX: []}, "$unset": {DUE: "", CLAIMED_BY: ""}},
            )
            if emptied.matched_count:
                return len(sent_ids)
        update: dict[str, Any] = {"$unset": {CLAIMED_BY: ""}}
        if sent_ids:
            update["$pull"] = {OUTBOX: {"id": {"$in": sent_ids}}}
        if failed:
            retry_at = utc_now() + timedelta(seconds=_FAILED_PUBLISH_BACKOFF_S)
            update["$set"] = {DUE: retry_at}
        # Events pushed meanwhile keep the document due (push_events set its due time).
        await coll.update_one(mine, update)
        return len(sent_ids)
