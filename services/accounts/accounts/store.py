"""The accounts service's collections and their indexes."""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument
from shared.mongo import Database, Session

ACCOUNTS = "accounts"
REFRESH_TOKENS = "refresh_tokens"
LOGIN_FAILURES = "login_failures"

INDEXES = {
    # Unique on the normalized email: case-insensitive uniqueness that holds under races.
    ACCOUNTS: [IndexModel([("email_normalized", ASCENDING)], unique=True)],
    REFRESH_TOKENS: [
        IndexModel([("family_id", ASCENDING)]),
        IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
    ],
    LOGIN_FAILURES: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
}

type Doc = dict[str, Any]


class AccountStore:
    def __init__(self, db: Database) -> None:
        self._accounts = db[ACCOUNTS]
        self._refresh = db[REFRESH_TOKENS]
        self._failures = db[LOGIN_FAILURES]

    async def insert_account(self, account: Doc, *, session: Session) -> None:
        await self._accounts.insert_one(account, session=session)

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

    # --- refresh tokens ----------------------------------------------------------------

    async def insert_refresh_token(
        self,
        *,
        token_hash: str,
        account_id: str,
        family_id: str,
        ttl: timedelta,
        session: Session | None = None,
    ) -> None:
        now = datetime.now(UTC)
        await self._refresh.insert_one(
            {
                "_id": token_hash,
                "account_id": account_id,
                "family_id": family_id,
                "status": "active",
                "created_at": now,
                "expires_at": now + ttl,
            },
            session=session,
        )

    async def refresh_token(self, token_hash: str) -> Doc | None:
        return await self._refresh.find_one({"_id": token_hash})

    async def rotate_refresh_token(self, token_hash: str, *, session: Session) -> bool:
        """Mark an active token used; False if it was not active (already rotated: reuse)."""
        doc = await self._refresh.find_one_and_update(
            {"_id": token_hash, "status": "active"},
            {"$set": {"status": "rotated", "rotated_at": datetime.now(UTC)}},
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        return doc is not None

    async def revoke_family(self, family_id: str) -> None:
        await self._refresh.update_many(
            {"family_id": family_id, "status": {"$ne": "revoked"}},
            {"$set": {"status": "revoked", "revoked_at": datetime.now(UTC)}},
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
