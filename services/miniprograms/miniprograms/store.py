"""The miniprograms service's collections and their indexes."""

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.events import Envelope
from shared.inbox import apply_once
from shared.mongo import Database
from shared.outbox import outbox_index, push_events, with_events

MINI_PROGRAMS = "mini_programs"
LOGOS = "logos"
MEMBERSHIPS = "memberships"

INDEXES = {
    MINI_PROGRAMS: [
        # The 10-per-workspace limit: a mini program takes one of the slots 0..9, and a slot
        # is unique per workspace, so concurrent creates cannot exceed it (no count-then-insert).
        IndexModel([("workspace_id", ASCENDING), ("slot", ASCENDING)], unique=True, name="slot"),
        IndexModel(
            [("workspace_id", ASCENDING), ("name_key", ASCENDING)], unique=True, name="name"
        ),
        IndexModel([("workspace_id", ASCENDING), ("created_at", DESCENDING)]),
        outbox_index(),
    ],
}
EVENT_SOURCES = [MINI_PROGRAMS]

type Doc = dict[str, Any]


class SlotTakenError(Exception):
    pass


class NameKeyTakenError(Exception):
    pass


class MiniProgramStore:
    def __init__(self, db: Database) -> None:
        self._mini_programs = db[MINI_PROGRAMS]
        self._logos = db[LOGOS]
        self._memberships = db[MEMBERSHIPS]

    async def used_slots(self, workspace_id: str) -> set[int]:
        found = self._mini_programs.find({"workspace_id": workspace_id}, projection={"slot": 1})
        return {doc["slot"] async for doc in found}

    async def insert(self, mini_program: Doc, event: Envelope) -> None:
        try:
            await self._mini_programs.insert_one(with_events(mini_program, event))
        except DuplicateKeyError as exc:
            raise _which(exc) from exc

    async def replace_fields(self, mini_program_id: str, fields: Doc, event: Envelope) -> Doc:
        try:
            doc = await self._mini_programs.find_one_and_update(
                {"_id": mini_program_id},
                push_events({"$set": fields}, event),
                projection={"outbox": 0},
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError as exc:
            raise _which(exc) from exc
        if doc is None:
            raise KeyError(mini_program_id)
        return doc

    async def get(self, mini_program_id: str) -> Doc | None:
        return await self._mini_programs.find_one(
            {"_id": mini_program_id}, projection={"outbox": 0}
        )

    async def list(self, workspace_id: str, *, developer_id: str | None = None) -> list[Doc]:
        query: dict[str, Any] = {"workspace_id": workspace_id}
        if developer_id is not None:
            query["developer_ids"] = developer_id
        found = self._mini_programs.find(
            query, projection={"outbox": 0}, sort=[("created_at", DESCENDING)]
        )
        return [doc async for doc in found]

    async def count(self, workspace_id: str) -> int:
        return await self._mini_programs.count_documents({"workspace_id": workspace_id})

    async def insert_logo(self, logo: Doc) -> None:
        await self._logos.insert_one(logo)

    async def logo(self, logo_id: str) -> Doc | None:
        return await self._logos.find_one({"_id": logo_id})

    # --- membership projection (from the workspace events) ----------------------------------

    async def role_of(self, workspace_id: str, account_id: str) -> str | None:
        doc = await self._memberships.find_one(
            {"_id": workspace_id}, projection={f"members.{account_id}": 1}
        )
        member = (doc or {}).get("members", {}).get(account_id)
        return member.get("role") if member else None

    async def set_member(
        self, workspace_id: str, account_id: str, role: str | None, *, event: Envelope
    ) -> None:
        """Record a member's role (None: removed) unless a newer event already did: the
        events of one member may arrive out of order after retries."""
        path = f"members.{account_id}"
        newer = {
            "$or": [{f"{path}.at": {"$exists": False}}, {f"{path}.at": {"$lt": event.occurred_at}}]
        }
        await apply_once(
            self._memberships,
            document_id=workspace_id,
            event=event,
            update={"$set": {path: {"role": role, "at": event.occurred_at}}},
            only_if=newer,
        )


def _which(exc: DuplicateKeyError) -> Exception:
    pattern = (exc.details or {}).get("keyPattern", {})
    if "slot" in pattern:
        return SlotTakenError()
    if "name_key" in pattern:
        return NameKeyTakenError()
    return exc
