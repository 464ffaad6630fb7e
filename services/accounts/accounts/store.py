"""The accounts service's collections and their indexes."""

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument

from shared.events import Envelope
from shared.inbox import apply_once
from shared.mongo import Database, utc_now
from shared.outbox import outbox_index, with_events

ACCOUNTS = "accounts"
REFRESH_SESSIONS = "refresh_sessions"
LOGIN_FAILURES = "login_failures"

INDEXES = {
    ACCOUNTS: [
        # Unique on the normalized email: case-insensitive uniqueness that holds under races.
        IndexModel([("email_normalized", ASCENDING)], unique=True),
        outbox_index(),
    ],
    REFRESH_SESSIONS: [
        IndexModel([("current_hash", ASCENDING)], unique=True),
        IndexModel([("used_hashes", ASCENDING)]),
        IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
    ],
    LOGIN_FAILURES: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
}
# Collections whose documents carry outbox events.
EVENT_SOURCES = [ACCOUNTS]

type Doc = dict[str, Any]


class AccountStore:
    def __init__(self, db: Database) -> None:
        self._accounts = db[ACCOUNTS]
        self._sessions = db[REFRESH_SESSIONS]
        self._failures = db[LOGIN_FAILURES]

    async def insert_account(self, account: Doc, *events: Envelope) -> None:
        """The account and its events in one write; DuplicateKeyError if the email is taken."""
        await self._accounts.insert_one(with_events(account, *events))

    async def account_by_id(self, account_id: str) -> Doc | None:
        return await self._accounts.find_one({"_id": account_id})

    async def account_by_email(self, email_normalized: str) -> Doc | None:
        return await self._accounts.find_one({"email_normalized": email_normalized})

    async def add_roles(self, account_id: str, roles: list[str]) -> None:
        await self._accounts.update_one(
            {"_id": account_id}, {"$addToSet": {"roles": {"$each": roles}}}
        )

    async def set_password_hash(self, account_id: str, password_hash: str) -> None:
        await self._accounts.update_one(
            {"_id": account_id}, {"$set": {"password_hash": password_hash}}
        )

    async def set_next_step(self, account_id: str, step: str, *, event: Envelope) -> None:
        newer_than_stored = {
            "$or": [
                {"next_step_at": {"$exists": False}},
                {"next_step_at": {"$lt": event.occurred_at}},
            ]
        }
        await apply_once(
            self._accounts,
            document_id=account_id,
            event=event,
            update={"$set": {"next_step": step, "next_step_at": event.occurred_at}},
            upsert=False,
            only_if=newer_than_stored,
        )

    # --- refresh sessions: one document per login, holding the current token's hash ------

    async def insert_session(
        self, *, session_id: str, account_id: str, token_hash: str, expires_at: datetime
    ) -> None:
        await self._sessions.insert_one(
            {
                "_id": session_id,
                "account_id": account_id,
                "current_hash": token_hash,
                "used_hashes": [],
                "status": "active",
                "created_at": utc_now(),
                "expires_at": expires_at,
            }
        )

    async def session_by_token(self, token_hash: str) -> Doc | None:
        """The session whose current or an earlier (rotated) token has this hash."""
        return await self._sessions.find_one(
            {"$or": [{"current_hash": token_hash}, {"used_hashes": token_hash}]}
        )

    async def rotate(
        self, session_id: str, *, old_hash: str, new_hash: str, ttl: timedelta
    ) -> bool:
        """Swap the current token atomically; False if it is no longer current (a reuse)."""
        doc = await self._sessions.find_one_and_update(
            {"_id": session_id, "current_hash": old_hash, "status": "active"},
            {
                "$set": {"current_hash": new_hash, "expires_at": utc_now() + ttl},
                "$push": {"used_hashes": old_hash},
            },
            return_document=ReturnDocument.AFTER,
        )
        return doc is not None

    async def revoke_session(self, session_id: str) -> None:
        await self._sessions.update_one(
            {"_id": session_id},
            {"$set": {"status": "revoked", "revoked_at": utc_now()}},
        )

    # --- login throttling (fixed windows) ---------------------------------------------

    async def failure_counts(self, keys: list[str]) -> dict[str, int]:
        found = self._failures.find({"_id": {"$in": keys}})
        return {doc["_id"]: doc["count"] async for doc in found}

    async def record_failure(self, keys: list[str], *, expires_at: datetime) -> None:
        for key in keys:
            await self._failures.update_one(
                {"_id": key},
                {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}},
                upsert=True,
            )
