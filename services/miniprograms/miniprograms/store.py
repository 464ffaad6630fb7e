"""The miniprograms service's collections and their indexes."""

from collections.abc import Sequence
from dataclasses import asdict, fields

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from miniprograms.access import AccessChange
from miniprograms.domain import (
    MemberRoleSet,
    Membership,
    MiniProgram,
    MiniProgramFields,
    MiniProgramModified,
    MiniProgramNotFoundError,
    NameTakenError,
    WorkspaceRole,
    first_free_slot,
)
from shared.contracts.miniprograms import MiniProgramCreatedV1, MiniProgramUpdatedV1
from shared.events import Envelope, EventPayload
from shared.inbox import apply_once
from shared.mongo import Database, Document
from shared.outbox import WITHOUT_OUTBOX, EventWriter, outbox_index

MINI_PROGRAMS = "mini_programs"
LOGOS = "logos"  # a shared.images.LogoStore's
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


class SlotTakenError(Exception):
    """A concurrent create took the slot first (the store then tries the next)."""


class MiniProgramStore:
    def __init__(self, db: Database, *, events: EventWriter) -> None:
        self._mini_programs = db[MINI_PROGRAMS]
        self._memberships = db[MEMBERSHIPS]
        self._events = events

    async def add(self, mini_program: MiniProgram, *, event: MiniProgramCreatedV1) -> None:
        """Insert it in the lowest free slot; a concurrent create that took that slot first
        makes us try the next. The unique (workspace_id, slot) index enforces the limit."""
        while True:
            used = await self._used_slots(mini_program.workspace_id)
            slot = first_free_slot(used)  # LimitReachedError when there is none
            try:
                await self._insert({**_document(mini_program), "slot": slot}, event=event)
            except SlotTakenError:
                continue
            return

    async def _used_slots(self, workspace_id: str) -> set[int]:
        found = self._mini_programs.find({"workspace_id": workspace_id}, projection={"slot": 1})
        return {doc["slot"] async for doc in found}

    async def _insert(self, document: Document, *, event: MiniProgramCreatedV1) -> None:
        try:
            await self._events.insert(self._mini_programs, document, events=[event])
        except DuplicateKeyError as exc:
            raise _which(exc) from exc

    async def replace_fields(
        self, *, change: MiniProgramModified, event: MiniProgramUpdatedV1
    ) -> MiniProgram:
        """Set every field of the form again, in the mini program's own workspace only."""
        update = {"$set": {**asdict(change.fields), "updated_at": change.updated_at}}
        try:
            doc = await self._events.update(
                self._mini_programs,
                query={"_id": change.mini_program_id, "workspace_id": change.workspace_id},
                update=update,
                events=[event],
            )
        except DuplicateKeyError as exc:
            raise _which(exc) from exc
        if doc is None:
            raise MiniProgramNotFoundError
        return _mini_program(doc)

    async def get(self, mini_program_id: str) -> MiniProgram | None:
        doc = await self._mini_programs.find_one({"_id": mini_program_id}, projection=_READ)
        return _mini_program(doc) if doc is not None else None

    async def list(
        self, workspace_id: str, *, developer_id: str | None = None
    ) -> list[MiniProgram]:
        query: Document = {"workspace_id": workspace_id}
        if developer_id is not None:
            query["developer_ids"] = developer_id
        found = self._mini_programs.find(query, projection=_READ, sort=[("created_at", DESCENDING)])
        return [_mini_program(doc) async for doc in found]

    async def set_access(self, change: AccessChange, *, event: EventPayload) -> bool:
        """Grant or revoke in one conditional write with its event; False when it was so
        already (a concurrent request did it), and then no event is saved."""
        account_id = change.account_id
        query: Document = {"_id": change.mini_program_id, "workspace_id": change.workspace_id}
        if change.granted:
            query["developer_ids"] = {"$ne": account_id}
            update: Document = {"$push": {"developer_ids": account_id}}
        else:
            query["developer_ids"] = account_id
            update = {"$pull": {"developer_ids": account_id}}
        done = await self._events.update(
            self._mini_programs, query=query, update=update, events=[event]
        )
        return done is not None

    async def granted_to(self, workspace_id: str, account_id: str) -> Sequence[MiniProgram]:
        return await self.list(workspace_id, developer_id=account_id)

    async def count(self, workspace_id: str) -> int:
        return await self._mini_programs.count_documents({"workspace_id": workspace_id})

    # --- membership projection (from the workspace events) ----------------------------------

    async def membership(self, workspace_id: str, account_id: str) -> Membership:
        """The workspace's membership as far as `account_id` goes (only that member loaded)."""
        path = f"members.{account_id}"
        doc = await self._memberships.find_one({"_id": workspace_id}, projection={path: 1})
        member = (doc or {}).get("members", {}).get(account_id) or {}
        role = member.get("role")
        roles = {account_id: WorkspaceRole(role)} if role is not None else {}
        return Membership(workspace_id=workspace_id, roles=roles)

    async def set_member(self, change: MemberRoleSet, *, event: Envelope) -> None:
        """Record a member's role (None: removed) unless a newer event already did: the
        events of one member may arrive out of order after retries."""
        path = f"members.{change.account_id}"
        newer = {
            "$or": [{f"{path}.at": {"$exists": False}}, {f"{path}.at": {"$lt": event.occurred_at}}]
        }
        await apply_once(
            self._memberships,
            document_id=change.workspace_id,
            event=event,
            update={"$set": {path: {"role": change.role, "at": event.occurred_at}}},
            only_if=newer,
        )


# What a read of a mini program leaves out: the relay's outbox fields and the limit's slot.
_READ = {**WITHOUT_OUTBOX, "slot": 0}


def _document(mini_program: MiniProgram) -> Document:
    """As stored: the form's fields at the top level, beside the mini program's own."""
    return {
        "_id": mini_program.id,
        "workspace_id": mini_program.workspace_id,
        **asdict(mini_program.fields),
        "language": mini_program.language,
        "developer_ids": list(mini_program.developer_ids),
        "created_by": mini_program.created_by,
        "created_at": mini_program.created_at,
        "updated_at": mini_program.updated_at,
    }


def _mini_program(doc: Document) -> MiniProgram:
    return MiniProgram(
        id=doc["_id"],
        workspace_id=doc["workspace_id"],
        fields=MiniProgramFields(**{name: doc[name] for name in _FIELD_NAMES}),
        language=doc["language"],
        developer_ids=tuple(doc["developer_ids"]),
        created_by=doc["created_by"],
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
    )


_FIELD_NAMES = tuple(f.name for f in fields(MiniProgramFields))


def _which(exc: DuplicateKeyError) -> Exception:
    """The domain's name for a unique index that refused a write (the slot: retried)."""
    pattern = (exc.details or {}).get("keyPattern", {})
    if "slot" in pattern:
        return SlotTakenError()
    if "name_key" in pattern:
        return NameTakenError()
    return exc
