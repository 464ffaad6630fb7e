"""MongoDB over the wire: the client, index declarations and transactions."""

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

type Document = dict[str, Any]
type Database = AsyncDatabase[Document]
type Session = AsyncClientSession
type Indexes = Mapping[str, Sequence[IndexModel]]


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


# Transactions that lost a write conflict are run again this many times at most.
_CONFLICT_RETRIES = 5


async def in_transaction[T](
    client: AsyncMongoClient[Document], work: Callable[[Session], Awaitable[T]]
) -> T:
    """Run work in one transaction. `work` may run more than once (transient errors are
    retried), so it must do nothing but database writes: publish or send mail after it."""
    for attempt in range(_CONFLICT_RETRIES + 1):
        try:
            async with client.start_session() as session:
                return await session.with_transaction(work)
        except OperationFailure as exc:
            # MongoDB labels a write conflict TransientTransactionError and with_transaction
            # retries it; the mongoeco wire server reports one at commit without the label.
            if not _is_write_conflict(exc) or attempt == _CONFLICT_RETRIES:
                raise
            await asyncio.sleep(random.uniform(0, 0.01 * (attempt + 1)))  # noqa: S311
    raise AssertionError("unreachable")


def _is_write_conflict(exc: OperationFailure) -> bool:
    return exc.code == _WRITE_CONFLICT or "write conflict" in str(exc).lower()


_WRITE_CONFLICT = 112
