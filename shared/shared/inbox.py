"""Idempotent consumers: an event's effect and the record that it was applied, in one write.

The event ids a document has absorbed are kept in that document (`applied_events`), and the
effect's update only matches a document that has not seen the event yet, so a redelivered
event changes nothing. No multi-document transaction is needed.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.events import Envelope
from shared.mongo import Document

APPLIED = "applied_events"
# Ids remembered per document; a redelivery arrives long before this many newer events.
_REMEMBERED = 1000


async def apply_once(
    collection: AsyncCollection[Document],
    *,
    document_id: Any,
    event: Envelope,
    update: Document,
    upsert: bool = True,
    only_if: Document | None = None,
) -> bool:
    """Apply `update` to the document unless it already absorbed `event`.

    `only_if` adds conditions (e.g. "not changed by a newer event"). Returns False when
    nothing changed: the event was applied before, a condition failed, or (without upsert)
    the document does not exist. The caller acks in every case.
    """
    remembered = {APPLIED: {"$each": [event.id], "$slice": -_REMEMBERED}}
    full_update = {**update, "$push": {**update.get("$push", {}), **remembered}}
    try:
        result = await collection.update_one(
            {"_id": document_id, APPLIED: {"$ne": event.id}, **(only_if or {})},
            full_update,
            upsert=upsert,
        )
    except DuplicateKeyError as exc:
        # The upsert's filter missed a document that exists: it absorbed the event already.
        if "_id" not in (exc.details or {}).get("keyPattern", {"_id": 1}):
            raise
        return False
    return result.modified_count > 0 or result.upserted_id is not None
