"""The delivery log: one document per notification (an event's has the event's id), each
change one single-document conditional write, so replicas never both send one notification."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from notifier.domain import (
    Claimed,
    DataStarted,
    Failed,
    Notification,
    NotificationAlreadyResentError,
    NotificationStatus,
    Released,
    Resent,
    Sent,
    Settled,
    StaleFailed,
)
from shared.mongo import Database, Document
from shared.pagination import Position, after_position

NOTIFICATIONS = "notifications"

_NEWEST_FIRST = [("created_at", DESCENDING), ("_id", DESCENDING)]

INDEXES = {
    NOTIFICATIONS: [
        # The admin's log of one account, newest first; _id breaks ties of equal times.
        IndexModel([("account_id", ASCENDING), *_NEWEST_FIRST], name="account_newest_first"),
        # The admin's failed mails across all accounts (?status=failed), newest first; also
        # the resender's sweep for pending and abandoned resends.
        IndexModel([("status", ASCENDING), *_NEWEST_FIRST], name="status_newest_first"),
        # The whole log, newest first (no filter).
        IndexModel(_NEWEST_FIRST, name="newest_first"),
    ],
}

# Written by a claim ($set, $inc) rather than when the document is first inserted.
_CLAIM_FIELDS = {"_id", "status", "claim_id", "lease_until", "updated_at", "attempts"}


class NotificationStore:
    def __init__(self, db: Database) -> None:
        self._notifications = db[NOTIFICATIONS]

    async def get(self, notification_id: str) -> Notification | None:
        doc = await self._notifications.find_one({"_id": notification_id})
        return notification_of(doc) if doc else None

    async def claim(self, notification: Notification, claimed: Claimed) -> Notification | None:
        """Take the notification for sending (one attempt more), creating it as `notification`
        on first sight: a new or pending one, or one whose sender died before DATA began (the
        server cannot have it): `Notification.claimable`, as one conditional write. None if it
        exists and is neither."""
        died_before_data = {
            "status": NotificationStatus.SENDING,
            "lease_until": {"$lte": claimed.at},
            "data_started_at": {"$exists": False},
        }
        first = document_of(notification)
        try:
            doc = await self._notifications.find_one_and_update(
                {
                    "_id": notification.id,
                    "$or": [{"status": NotificationStatus.PENDING}, died_before_data],
                },
                {
                    "$setOnInsert": {k: v for k, v in first.items() if k not in _CLAIM_FIELDS},
                    "$set": {
                        "status": NotificationStatus.SENDING,
                        "claim_id": claimed.claim_id,
                        "lease_until": claimed.lease_until,
                        "updated_at": claimed.at,
                    },
                    "$inc": {"attempts": 1},
                },
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return None  # it exists and did not match: not claimable now
        return notification_of(doc) if doc else None

    async def mark_data_started(self, notification_id: str, change: DataStarted) -> None:
        """Written just before DATA: from here on a crash leaves the outcome unknown."""
        await self._notifications.update_one(
            {"_id": notification_id, "claim_id": change.claim_id},
            {"$set": {"data_started_at": change.at}},
        )

    async def settle(self, notification_id: str, change: Settled) -> None:
        # Only the claim's holder settles it (a stale-failed claim included: it knows better).
        await self._notifications.update_one(
            {"_id": notification_id, "claim_id": change.claim_id},
            {
                "$set": {"updated_at": change.at, **_settled_fields(change)},
                "$unset": {"claim_id": "", "lease_until": "", "data_started_at": ""},
            },
        )

    async def fail_stale(self, notification_id: str, change: StaleFailed) -> bool:
        """Fail a notification whose sender's lease ran out after DATA began (it may or may not
        have arrived); False if it is not (or no longer) such. The claim_id stays: should that
        sender still finish, its outcome is recorded."""
        result = await self._notifications.update_one(
            {
                "_id": notification_id,
                "status": NotificationStatus.SENDING,
                "lease_until": {"$lte": change.at},
                "data_started_at": {"$exists": True},
            },
            {
                "$set": {
                    "status": NotificationStatus.FAILED,
                    "last_error": change.error,
                    "updated_at": change.at,
                }
            },
        )
        return result.modified_count > 0

    async def insert_resend(self, notification: Notification) -> None:
        """Record a resend. Its id is derived from the resent notification's, so a second
        resend of the same one collides here: NotificationAlreadyResentError."""
        try:
            await self._notifications.insert_one(document_of(notification))
        except DuplicateKeyError as exc:
            raise NotificationAlreadyResentError(
                str(notification.resend_of), notification.id
            ) from exc

    async def mark_resent(self, notification_id: str, change: Resent) -> None:
        await self._notifications.update_one(
            {"_id": notification_id, "status": NotificationStatus.FAILED},
            {"$set": {"resent_as": change.resent_as, "updated_at": change.at}},
        )

    async def page(
        self,
        *,
        account_id: str | None,
        status: NotificationStatus | None,
        limit: int,
        after: Position | None,
    ) -> list[Notification]:
        """Notifications newest first (of one account, in one status, when given), starting
        after (created_at, _id)."""
        query: Document = {}
        if account_id is not None:
            query["account_id"] = account_id
        if status is not None:
            query["status"] = status
        query |= after_position(after, at="created_at", descending=True)
        found = self._notifications.find(query, sort=_NEWEST_FIRST, limit=limit)
        return [notification_of(doc) async for doc in found]

    async def due_resends(self, *, now: datetime, limit: int) -> list[Notification]:
        """Resends waiting for a sender, oldest first: pending ones, and those whose sender's
        lease ran out (taken over, or failed as outcome unknown, by the claim)."""
        found = self._notifications.find(
            {
                "resend_of": {"$exists": True},
                "$or": [
                    {"status": NotificationStatus.PENDING},
                    {"status": NotificationStatus.SENDING, "lease_until": {"$lte": now}},
                ],
            },
            sort=[("created_at", ASCENDING), ("_id", ASCENDING)],
            limit=limit,
        )
        return [notification_of(doc) async for doc in found]


def _settled_fields(change: Settled) -> Document:
    match change:
        case Sent():
            return {"status": NotificationStatus.SENT, "sent_at": change.at}
        case Failed():
            return {"status": NotificationStatus.FAILED, "last_error": change.error}
        case Released():
            return {"status": NotificationStatus.PENDING, "last_error": change.error}


# Absent rather than null until set: the claim's guards ask whether they exist.
_ABSENT_UNLESS_SET = ("claim_id", "lease_until", "data_started_at", "resend_of", "resent_as")


def document_of(notification: Notification) -> Document:
    n = notification
    doc: Document = {
        "_id": n.id,
        "account_id": n.account_id,
        "email": n.email,
        "kind": n.kind,
        "about": dict(n.about),
        "correlation_id": n.correlation_id,
        "status": n.status,
        "attempts": n.attempts,
        "last_error": n.last_error,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
        "sent_at": n.sent_at,
    }
    if n.content is not None:
        doc["content"] = dict(n.content)
    for name in _ABSENT_UNLESS_SET:
        if (value := getattr(n, name)) is not None:
            doc[name] = value
    return doc


def notification_of(doc: Document) -> Notification:
    kind, about = _kind_and_about(doc)
    content: dict[str, Any] | None = doc.get("content")
    return Notification(
        id=doc["_id"],
        account_id=doc.get("account_id"),
        email=doc["email"],
        kind=kind,
        about=about,
        correlation_id=doc["correlation_id"],
        status=NotificationStatus(doc["status"]),
        attempts=int(doc["attempts"]),
        last_error=doc.get("last_error"),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        sent_at=doc.get("sent_at"),
        content=dict(content) if content else None,
        **{name: doc.get(name) for name in _ABSENT_UNLESS_SET},
    )


def _kind_and_about(doc: Document) -> tuple[str, dict[str, str]]:
    """Review mails recorded before mail kinds have a decision and an application id instead."""
    if "kind" in doc:
        return doc["kind"], dict(doc.get("about") or {})
    decision = doc["decision"]
    kind = "review_approved" if decision == "approve" else "review_rejected"
    return kind, {"application_id": doc["application_id"], "decision": decision}
