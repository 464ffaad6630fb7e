"""Counters of fixed throttling windows: failed logins (and second factors), password reset
requests. One document per windowed key, gone when its window is."""

from datetime import datetime

from shared.mongo import Database

# The name it had when it counted only failed logins; it holds every window's counters.
THROTTLES = "login_failures"


class ThrottleStore:
    def __init__(self, db: Database) -> None:
        self._counters = db[THROTTLES]

    async def counts(self, keys: list[str]) -> dict[str, int]:
        found = self._counters.find({"_id": {"$in": keys}})
        return {doc["_id"]: doc["count"] async for doc in found}

    async def record(self, keys: list[str], *, expires_at: datetime) -> None:
        for key in keys:
            await self._counters.update_one(
                {"_id": key},
                {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}},
                upsert=True,
            )
