"""The workspaces service's collections and their indexes."""

import contextlib
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.events import Envelope
from shared.mongo import Database, utc_now
from shared.outbox import outbox_index, push_events
from workspaces.domain import ApplicationStatus, WorkspaceStatus

APPLICATIONS = "applications"
LOGOS = "logos"
WORKSPACES = "workspaces"
DIRECTORY = "accounts_directory"

INDEXES = {
    APPLICATIONS: [
        IndexModel([("account_id", ASCENDING), ("created_at", DESCENDING)]),
        # Set while an application is a draft, under review or approved: at most one per account.
        IndexModel([("open_key", ASCENDING)], unique=True, sparse=True),
        IndexModel([("status", ASCENDING), ("submitted_at", ASCENDING), ("_id", ASCENDING)]),
        outbox_index(),
    ],
    WORKSPACES: [
        IndexModel([("members.account_id", ASCENDING)]),
        outbox_index(),
    ],
    DIRECTORY: [IndexModel([("email_normalized", ASCENDING)])],
}
EVENT_SOURCES = [APPLICATIONS, WORKSPACES]

type Doc = dict[str, Any]


class WorkspaceStore:
    def __init__(self, db: Database) -> None:
        self._applications = db[APPLICATIONS]
        self._logos = db[LOGOS]
        self._workspaces = db[WORKSPACES]
        self._directory = db[DIRECTORY]

    # --- applications ------------------------------------------------------------------

    async def latest_application(self, account_id: str) -> Doc | None:
        return await self._applications.find_one(
            {"account_id": account_id}, sort=[("created_at", DESCENDING)]
        )

    async def applications_of(self, account_id: str) -> list[Doc]:
        found = self._applications.find(
            {"account_id": account_id}, sort=[("created_at", DESCENDING)]
        )
        return [doc async for doc in found]

    async def application(self, application_id: str) -> Doc | None:
        return await self._applications.find_one({"_id": application_id})

    async def insert_draft(self, draft: Doc) -> bool:
        """False if the account already has an open application (the unique open_key)."""
        try:
            await self._applications.insert_one(draft)
        except DuplicateKeyError:
            return False
        return True

    async def update_draft(self, application_id: str, update: dict[str, Any]) -> Doc | None:
        return await self._applications.find_one_and_update(
            {"_id": application_id, "status": ApplicationStatus.DRAFT},
            update,
            return_document=ReturnDocument.AFTER,
        )

    async def move(
        self,
        application_id: str,
        *,
        from_status: ApplicationStatus,
        update: dict[str, Any],
        events: list[Envelope],
    ) -> Doc | None:
        """Change status atomically (with its events) if it still is `from_status`."""
        return await self._applications.find_one_and_update(
            {"_id": application_id, "status": from_status},
            push_events(update, *events),
            return_document=ReturnDocument.AFTER,
        )

    async def review_queue(
        self, *, status: str, limit: int, after: tuple[datetime, str] | None
    ) -> list[Doc]:
        query: dict[str, Any] = {"status": status}
        if after is not None:
            submitted_at, last_id = after
            query["$or"] = [
                {"submitted_at": {"$gt": submitted_at}},
                {"submitted_at": submitted_at, "_id": {"$gt": last_id}},
            ]
        found = self._applications.find(
            query, sort=[("submitted_at", ASCENDING), ("_id", ASCENDING)], limit=limit
        )
        return [doc async for doc in found]

    # --- logos ---------------------------------------------------------------------------

    async def insert_logo(self, logo: Doc) -> None:
        await self._logos.insert_one(logo)

    async def logo(self, logo_id: str) -> Doc | None:
        return await self._logos.find_one({"_id": logo_id})

    # --- workspaces ----------------------------------------------------------------------

    async def create_workspace(self, workspace: Doc) -> None:
        """Insert unless it exists (provisioning runs again after a redelivery)."""
        with contextlib.suppress(DuplicateKeyError):
            await self._workspaces.insert_one(workspace)

    async def activate_workspace(self, workspace_id: str, events: list[Envelope]) -> bool:
        result = await self._workspaces.update_one(
            {"_id": workspace_id, "status": WorkspaceStatus.PROVISIONING},
            push_events(
                {"$set": {"status": WorkspaceStatus.ACTIVE, "activated_at": utc_now()}},
                *events,
            ),
        )
        return result.modified_count == 1

    async def workspace(self, workspace_id: str) -> Doc | None:
        return await self._workspaces.find_one({"_id": workspace_id}, projection={"outbox": 0})

    async def workspaces_of(self, account_id: str) -> list[Doc]:
        found = self._workspaces.find(
            {"members.account_id": account_id},
            projection={"outbox": 0},
            sort=[("created_at", DESCENDING)],
        )
        return [doc async for doc in found]

    async def add_member(self, workspace_id: str, member: Doc, event: Envelope) -> bool:
        """False if the account is a member already."""
        result = await self._workspaces.update_one(
            {"_id": workspace_id, "members.account_id": {"$ne": member["account_id"]}},
            push_events({"$push": {"members": member}}, event),
        )
        return result.modified_count == 1

    async def change_member_role(
        self, workspace_id: str, account_id: str, role: str, event: Envelope
    ) -> bool:
        """False if no such non-owner member."""
        result = await self._workspaces.update_one(
            {
                "_id": workspace_id,
                "members": {"$elemMatch": {"account_id": account_id, "role": {"$ne": "owner"}}},
            },
            push_events({"$set": {"members.$.role": role}}, event),
        )
        return result.matched_count == 1

    async def remove_member(self, workspace_id: str, account_id: str, event: Envelope) -> bool:
        result = await self._workspaces.update_one(
            {
                "_id": workspace_id,
                "members": {"$elemMatch": {"account_id": account_id, "role": {"$ne": "owner"}}},
            },
            push_events({"$pull": {"members": {"account_id": account_id}}}, event),
        )
        return result.modified_count == 1

    # --- accounts directory (projection of account.registered.v1) ------------------------

    async def remember_account(self, account: Doc) -> None:
        await self._directory.update_one({"_id": account["_id"]}, {"$set": account}, upsert=True)

    async def account(self, account_id: str) -> Doc | None:
        return await self._directory.find_one({"_id": account_id})

    async def account_by_email(self, email_normalized: str) -> Doc | None:
        return await self._directory.find_one({"email_normalized": email_normalized})
