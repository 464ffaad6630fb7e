"""The accounts directory: a projection of account.registered.v1, to name applicants and to
find the account an email belongs to, and of account.email_verified.v1, to show reviewers
whose email is proved."""

from collections.abc import Iterable
from datetime import datetime

from pymongo import ASCENDING, IndexModel

from shared.mongo import Database, Document
from shared.text import normalize_email
from workspaces.domain import DirectoryAccount

DIRECTORY = "accounts_directory"

INDEXES = [IndexModel([("email_normalized", ASCENDING)])]


class AccountsDirectory:
    def __init__(self, db: Database) -> None:
        self._directory = db[DIRECTORY]

    async def remember(self, account: DirectoryAccount) -> None:
        document = {
            "_id": account.account_id,
            "email": account.email,
            "email_normalized": normalize_email(account.email),
            "full_name": account.full_name,
        }
        await self._directory.update_one(
            {"_id": account.account_id}, {"$set": document}, upsert=True
        )

    async def remember_email_verified(self, account_id: str, *, at: datetime) -> bool:
        """Mark the account's email verified; False when the account is not known yet (its
        account.registered.v1 is still on its way). Setting it twice changes nothing."""
        result = await self._directory.update_one(
            {"_id": account_id}, {"$set": {"email_verified_at": at}}
        )
        return result.matched_count == 1

    async def verified(self, account_ids: Iterable[str]) -> set[str]:
        """Those of the accounts whose email is verified."""
        found = self._directory.find(
            {"_id": {"$in": list(account_ids)}, "email_verified_at": {"$ne": None}}, {"_id": 1}
        )
        return {doc["_id"] async for doc in found}

    async def account(self, account_id: str) -> DirectoryAccount | None:
        found = await self._directory.find_one({"_id": account_id})
        return _account(found) if found else None

    async def account_by_email(self, email: str) -> DirectoryAccount | None:
        """The account of that email, whatever its case and surrounding spaces."""
        found = await self._directory.find_one({"email_normalized": normalize_email(email)})
        return _account(found) if found else None


def _account(doc: Document) -> DirectoryAccount:
    return DirectoryAccount(account_id=doc["_id"], email=doc["email"], full_name=doc["full_name"])
