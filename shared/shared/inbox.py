"""Idempotent consumers: an event's effect and the record that it was applied, in one write."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from shared.events import Envelope
from shared.mongo import Database, Document, Session, in_transaction

PROCESSED_EVENTS = "processed_events"


class _AlreadyApplied(Exception):
    pass


async def apply_once(
    client: AsyncMongoClient[Document],
    db: Database,
    *,
    consumer: str,
    event: Envelope,
    effect: Callable[[Session], Awaitable[None]],
) -> bool:
    """Run `effect` and record the event as processed by `consumer`, atomically.

    Returns False, changing nothing, when this consumer already applied the event (a
    redelivery, or a duplicate publish). The caller acks in both cases.
    """
    marker = {
        "_id": f"{consumer}:{event.id}",
        "consumer": consumer,
        "event_id": event.id,
        "type": event.type,
        "processed_at": datetime.now(UTC),
    }

    async def record_and_apply(session: Session) -> None:
        try:
            await db[PROCESSED_EVENTS].insert_one(marker, session=session)
        except DuplicateKeyError as exc:
            raise _AlreadyApplied from exc
        await effect(session)

    try:
        await in_transaction(client, record_and_apply)
    except _AlreadyApplied:
        return False
    return True
