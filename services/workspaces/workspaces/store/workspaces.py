"""Workspaces and their members in Mongo: each transition of the domain is one conditional
write, with its event."""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.events import EventPayload
from shared.mongo import Database, Document
from shared.outbox import WITHOUT_OUTBOX, EventWriter, outbox_index
from shared.text import normalize_email
from workspaces.domain import (
    Invitation,
    InvitationStatus,
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
        return workspace_of(found) if found else None

    async def workspaces_of(self, account_id: str) -> list[Workspace]:
        found = self._workspaces.find(
            {"members.account_id": account_id},
            projection=WITHOUT_OUTBOX,
            sort=[("created_at", DESCENDING)],
        )
        return [workspace_of(doc) async for doc in found]

    async def add_member(
        self, workspace_id: str, *, change: MemberAdded, event: EventPayload
    ) -> bool:
        """False if the account is a member already."""
        member = change.member
        added = await self._events.update(
            self._workspaces,
            query={"_id": workspace_id, "members.account_id": {"$ne": member.account_id}},
            update={"$push": {"members": member_document(member)}},
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
        return workspace_of(changed) if changed else None

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
        "members": [member_document(m) for m in workspace.members],
        "created_at": workspace.created_at,
    }


def member_document(member: Member) -> Document:
    return {
        "account_id": member.account_id,
        "email": member.email,
        "full_name": member.full_name,
        "role": member.role,
        "added_at": member.added_at,
    }


def workspace_of(doc: Document) -> Workspace:
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
        invitations=tuple(
            invitation_of(i, workspace_id=doc["_id"]) for i in doc.get("invitations") or ()
        ),
    )


def invitation_document(invitation: Invitation) -> Document:
    i = invitation
    return {
        "id": i.id,
        "email": i.email,
        "email_normalized": normalize_email(i.email),
        "role": i.role,
        "invited_by": i.invited_by,
        "token_hash": i.token_hash,
        "replaced_token_hashes": list(i.replaced_token_hashes),
        "status": i.stored_status,
        "sent_count": i.sent_count,
        "created_at": i.created_at,
        "last_sent_at": i.last_sent_at,
        "expires_at": i.expires_at,
        "accepted_by": i.accepted_by,
        "accepted_at": i.accepted_at,
        "revoked_at": i.revoked_at,
    }


def invitation_of(doc: Document, *, workspace_id: str) -> Invitation:
    return Invitation(
        id=doc["id"],
        workspace_id=workspace_id,
        email=doc["email"],
        role=doc["role"],
        invited_by=doc["invited_by"],
        token_hash=doc["token_hash"],
        created_at=doc["created_at"],
        expires_at=doc["expires_at"],
        stored_status=InvitationStatus(doc["status"]),
        sent_count=int(doc.get("sent_count", 1)),
        last_sent_at=doc.get("last_sent_at"),
        replaced_token_hashes=tuple(doc.get("replaced_token_hashes") or ()),
        accepted_by=doc.get("accepted_by"),
        accepted_at=doc.get("accepted_at"),
        revoked_at=doc.get("revoked_at"),
    )
