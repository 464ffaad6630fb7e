"""MongoDB over the wire: the client and index declarations.

The services change one document per write (see outbox.py): no multi-document transactions,
so they run on a standalone server as on a replica set."""

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

type Document = dict[str, Any]
type Database = AsyncDatabase[Document]
type Indexes = Mapping[str, Sequence[IndexModel]]
# What a service asks the time of: passed in at create_app, so tests can move it.
type Clock = Callable[[], datetime]


def create_mongo_client(url: str, *, timeout_ms: int) -> AsyncMongoClient[Document]:
    # tz_aware: datetimes come back as UTC-aware, as they went in.
    return AsyncMongoClient(
        url,
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        uuidRepresentation="standard",
    )


async def ensure_indexes(db: Database, indexes: Indexes) -> None:
    """Create the declared indexes; applied at start-up, so each store declares its own."""
    for collection, models in indexes.items():
        if models:
            await db[collection].create_indexes(list(models))


def utc_now() -> datetime:
    """Now, at the millisecond precision BSON stores, so what a write returns equals what a
    later read returns."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
