"""The delivery log: one document per review event (its _id is the event id), each changed by
single-document conditional writes, so replicas never both send one notification."""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from notifier.domain import NotificationStatus, ReviewMail
from shared.mongo import Database

NOTIFICATIONS = "notifications"

INDEXES = {
    NOTIFICATIONS: [
        # The admin's log of one account, newest first; _id breaks ties of equal times.
        IndexModel(
            [("account_id", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)],
            name="account_newest_first",
        ),
    ],
}

type Notification = dict[str, Any]


class NotificationStore:
    def __init__(self, db: Database) -> None:
        self._notifications = db[NOTIFICATIONS]

    async def get(self, event_id: str) -> Notification | None:
        return await self._notifications.find_one({"_id": event_id})

    async def claim(
        self, mail: ReviewMail, *, claim_id: str, now: datetime, lease_until: datetime
    ) -> Notification | None:
        """Take the event's notification for sending (one attempt more), creating it on first
        sight: a new or pending one, or one whose sender died before DATA began (the server
        cannot have it). None if it exists and is neither."""
        died_before_data = {
            "status": NotificationStatus.SENDING,
            "lease_until": {"$lte": now},
            "data_started_at": {"$exists": False},
        }
        try:
            return await self._notifications.find_one_and_update(
                {
                    "_id": mail.event_id,
                    "$or": [{"status": NotificationStatus.PENDING}, died_before_data],
                },
                {
                    "$setOnInsert": {
                        "account_id": mail.account_id,
                        "email": mail.to,
                        "decision": mail.decision,
                        "application_id": mail.application_id,
                        "correlation_id": mail.correlation_id,
                        "last_error": None,
                        "created_at": now,
                        "sent_at": None,
                    },
                    "$set": {
                        "status": NotificationStatus.SENDING,
                        "claim_id": claim_id,
                        "lease_until": lease_until,
                        "updated_at": now,
                    },
                    "$inc": {"attempts": 1},
                },
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return None  # it exists and did not match: not claimable now

    async def mark_data_started(self, event_id: str, *, claim_id: str) -> None:
        """Written just before DATA: from here on a crash leaves the outcome unknown."""
        await self._notifications.update_one(
            {"_id": event_id, "claim_id": claim_id},
            {"$set": {"data_started_at": datetime.now(UTC)}},
        )

    async def release(self, event_id: str, *, claim_id: str, error: str) -> None:
        """Back to pending after a temporary failure, for the next attempt."""
        await self._finish(
            event_id,
            claim_id=claim_id,
            status=NotificationStatus.PENDING,
            changes={"last_error": error},
        )

    async def mark_sent(self, event_id: str, *, claim_id: str) -> None:
        await self._finish(
            event_id,
            claim_id=claim_id,
            status=NotificationStatus.SENT,
            changes={"sent_at": datetime.now(UTC)},
        )

    async def mark_failed(self, event_id: str, *, claim_id: str, error: str) -> None:
        await self._finish(
            event_id,
            claim_id=claim_id,
            status=NotificationStatus.FAILED,
            changes={"last_error": error},
        )

    async def fail_stale(self, event_id: str, *, error: str) -> bool:
        """Fail a notification whose sender's lease ran out after DATA began (it may or may not
        have arrived); False if it is not (or no longer) such. The claim_id stays: should that
        sender still finish, its outcome is recorded."""
        now = datetime.now(UTC)
        result = await self._notifications.update_one(
            {
                "_id": event_id,
                "status": NotificationStatus.SENDING,
                "lease_until": {"$lte": now},
                "data_started_at": {"$exists": True},
            },
            {"$set": {"status": NotificationStatus.FAILED, "last_error": error, "updated_at": now}},
        )
        return result.modified_count > 0

    async def page(
        self, account_id: str, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Notification]:
        """An account's notifications newest first, starting after (created_at, _id)."""
        query: dict[str, Any] = {"account_id": account_id}
        if after is not None:
            created_at, event_id = after
            query["$or"] = [
                {"created_at": {"$lt": created_at}},
                {"created_at": created_at, "_id": {"$lt": event_id}},
            ]
        found = self._notifications.find(
            query, sort=[("created_at", DESCENDING), ("_id", DESCENDING)], limit=limit
        )
        return [doc async for doc in found]

    async def _finish(
        self,
        event_id: str,
        *,
        claim_id: str,
        status: NotificationStatus,
        changes: dict[str, Any],
    ) -> None:
        # Only the claim's holder settles it (a stale-failed claim included: it knows better).
        await self._notifications.update_one(
            {"_id": event_id, "claim_id": claim_id},
            {
                "$set": {"status": status, "updated_at": datetime.now(UTC), **changes},
                "$unset": {"claim_id": "", "lease_until": "", "data_started_at": ""},
            },
        )
