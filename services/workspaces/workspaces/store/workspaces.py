"""Workspaces and their members in Mongo: each transition of the domain is one conditional
write, with its event."""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.events import EventPayload
from shared.mongo import Database, Document
from shared.outbox import WITHOUT_OUTBOX, EventWriter, outbox_index
from workspaces.domain import (
    Member,
    MemberAdded,
    MemberRemoved,
    MemberRole,
    MemberRoleChanged,
    Workspace,
    WorkspaceActivated,
    WorkspaceStatus,
)

WORKSPACES = "workspaces"

INDEXES = [
    IndexModel([("members.account_id", ASCENDING)]),
    outbox_index(),
]

# A member other than the owner (whose role is fixed).
_NOT_OWNER = {"$ne": MemberRole.OWNER}


class WorkspaceStore:
    def __init__(self, db: Database, *, events: EventWriter) -> None:
        self._workspaces = db[WORKSPACES]
        self._events = events

    async def create_workspace(self, workspace: Workspace) -> Workspace:
        """Insert it unless it exists (provisioning runs again after a redelivery); the
        workspace as stored."""
        try:
            await self._workspaces.insert_one(_document(workspace))
        except DuplicateKeyError:
            stored = await self.workspace(workspace.id)
            if stored is None:  # the duplicate was another key's: nothing explains it
                raise
            return stored
        return workspace

    async def activate_workspace(
        self,
        workspace_id: str,
        *,
        change: WorkspaceActivated,
        event: EventPayload,
        causation_id: str,
    ) -> bool:
        """False if it is not provisioning any more (activated meanwhile)."""
        activated = await self._events.update(
            self._workspaces,
            query={"_id": workspace_id, "status": WorkspaceStatus.PROVISIONING},
            update={
                "$set": {"status": WorkspaceStatus.ACTIVE, "activated_at": change.activated_at}
            },
            events=[event],
            causation_id=causation_id,
        )
        return activated is not None

    async def workspace(self, workspace_id: str) -> Workspace | None:
        found = await self._workspaces.find_one({"_id": workspace_id}, projection=WITHOUT_OUTBOX)
        return _workspace(found) if found else None

    async def workspaces_of(self, account_id: str) -> list[Workspace]:
        found = self._workspaces.find(
            {"members.account_id": account_id},
            projection=WITHOUT_OUTBOX,
            sort=[("created_at", DESCENDING)],
        )
        return [_workspace(doc) async for doc in found]

    async def add_member(
        self, workspace_id: str, *, change: MemberAdded, event: EventPayload
    ) -> bool:
        """False if the account is a member already."""
        member = change.member
        added = await self._events.update(
            self._workspaces,
            query={"_id": workspace_id, "members.account_id": {"$ne": member.account_id}},
            update={"$push": {"members": _member_document(member)}},
            events=[event],
        )
        return added is not None

    async def change_member_role(
        self, workspace_id: str, *, change: MemberRoleChanged, event: EventPayload
    ) -> Workspace | None:
        """The workspace after; None if there is no such member other than the owner."""
        changed = await self._events.update(
            self._workspaces,
            query={
                "_id": workspace_id,
                "members": {"$elemMatch": {"account_id": change.account_id, "role": _NOT_OWNER}},
            },
            update={"$set": {"members.$.role": change.role}},
            events=[event],
        )
        return _workspace(changed) if changed else None

    async def remove_member(
        self, workspace_id: str, *, change: MemberRemoved, event: EventPayload
    ) -> bool:
        """False if there is no such member other than the owner."""
        removed = await self._events.update(
            self._workspaces,
            query={
                "_id": workspace_id,
                "members": {"$elemMatch": {"account_id": change.account_id, "role": _NOT_OWNER}},
            },
            update={"$pull": {"members": {"account_id": change.account_id}}},
            events=[event],
        )
        return removed is not None


def _document(workspace: Workspace) -> Document:
    return {
        "_id": workspace.id,
        "application_id": workspace.application_id,
        "name": workspace.name,
        "status": workspace.status,
        "owner_account_id": workspace.owner_account_id,
        "logo_id": workspace.logo_id,
        "logo_color": workspace.logo_color,
        "members": [_member_document(m) for m in workspace.members],
        "created_at": workspace.created_at,
    }


def _member_document(member: Member) -> Document:
    return {
        "account_id": member.account_id,
        "email": member.email,
        "full_name": member.full_name,
        "role": member.role,
        "added_at": member.added_at,
    }


def _workspace(doc: Document) -> Workspace:
    return Workspace(
        id=doc["_id"],
        application_id=doc["application_id"],
        name=doc["name"],
        status=WorkspaceStatus(doc["status"]),
        owner_account_id=doc["owner_account_id"],
        logo_id=doc.get("logo_id"),
        logo_color=doc["logo_color"],
        members=tuple(
            Member(
                account_id=m["account_id"],
                email=m["email"],
                full_name=m["full_name"],
                role=MemberRole(m["role"]),
                added_at=m["added_at"],
            )
            for m in doc["members"]
        ),
        created_at=doc["created_at"],
        activated_at=doc.get("activated_at"),
    )
