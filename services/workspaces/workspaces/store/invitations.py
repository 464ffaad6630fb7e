"""Invitations live in their workspace's document (`invitations`), so accepting one is a single
conditional write that marks it accepted and adds the member with its event: of two accepts
racing, exactly one matches. Only the token's SHA-256 is stored."""

from datetime import datetime

from pymongo import ASCENDING, IndexModel

from shared.events import EventPayload
from shared.mongo import Database, Document
from shared.outbox import WITHOUT_OUTBOX, EventWriter
from shared.text import normalize_email
from workspaces.domain import (
    InvitationAccepted,
    InvitationRevoked,
    InvitationStatus,
    Invited,
    Workspace,
)
from workspaces.domain.workspace import KEPT_INVITATIONS
from workspaces.store.workspaces import (
    WORKSPACES,
    invitation_document,
    member_document,
    workspace_of,
)

INDEXES = [
    # The accept link finds its workspace by the token's hash (or a replaced one's).
    IndexModel([("invitations.token_hash", ASCENDING)], name="invitation_token"),
    IndexModel(
        [("invitations.replaced_token_hashes", ASCENDING)], name="invitation_replaced_tokens"
    ),
]


class InvitationStore:
    def __init__(self, db: Database, *, events: EventWriter) -> None:
        self._workspaces = db[WORKSPACES]
        self._events = events

    async def workspace_with_token(self, token_hash: str) -> Workspace | None:
        found = await self._workspaces.find_one(
            {
                "$or": [
                    {"invitations.token_hash": token_hash},
                    {"invitations.replaced_token_hashes": token_hash},
                ]
            },
            projection=WITHOUT_OUTBOX,
        )
        return workspace_of(found) if found else None

    async def add(
        self, workspace_id: str, *, invited: Invited, event: EventPayload, now: datetime
    ) -> bool:
        """False if the email got a pending invitation meanwhile (a concurrent invite)."""
        invitation = invited.invitation
        pending_for_email = {
            "email_normalized": normalize_email(invitation.email),
            "status": InvitationStatus.PENDING,
            "expires_at": {"$gt": now},
        }
        added = await self._events.update(
            self._workspaces,
            query={"_id": workspace_id, "invitations": {"$not": {"$elemMatch": pending_for_email}}},
            update={
                "$push": {
                    "invitations": {
                        "$each": [invitation_document(invitation)],
                        "$slice": -KEPT_INVITATIONS,
                    }
                }
            },
            events=[event],
        )
        return added is not None

    async def resend(
        self, workspace_id: str, *, invited: Invited, event: EventPayload
    ) -> Workspace | None:
        """None if it is not pending (or expired) any more: accepted or revoked meanwhile."""
        again = invited.invitation
        changed = await self._events.update(
            self._workspaces,
            query={"_id": workspace_id, **_pending(again.id)},
            update={
                "$set": {
                    "invitations.$.token_hash": again.token_hash,
                    "invitations.$.expires_at": again.expires_at,
                    "invitations.$.sent_count": again.sent_count,
                    "invitations.$.last_sent_at": again.last_sent_at,
                    "invitations.$.replaced_token_hashes": list(again.replaced_token_hashes),
                }
            },
            events=[event],
        )
        return workspace_of(changed) if changed else None

    async def revoke(
        self, workspace_id: str, *, change: InvitationRevoked, event: EventPayload
    ) -> bool:
        """False if it is not pending (or expired) any more."""
        revoked = await self._events.update(
            self._workspaces,
            query={"_id": workspace_id, **_pending(change.invitation_id)},
            update={
                "$set": {
                    "invitations.$.status": InvitationStatus.REVOKED,
                    "invitations.$.revoked_at": change.at,
                }
            },
            events=[event],
        )
        return revoked is not None

    async def accept(
        self, workspace_id: str, *, change: InvitationAccepted, event: EventPayload
    ) -> Workspace | None:
        """Mark it accepted and add the member, in one write, only while it is pending,
        unexpired, with this very token, and the account no member: None otherwise."""
        usable = {
            "id": change.invitation_id,
            "status": InvitationStatus.PENDING,
            "token_hash": change.token_hash,
            "expires_at": {"$gt": change.at},
        }
        accepted = await self._events.update(
            self._workspaces,
            query={
                "_id": workspace_id,
                "members.account_id": {"$ne": change.member.account_id},
                "invitations": {"$elemMatch": usable},
            },
            update={
                "$set": {
                    "invitations.$.status": InvitationStatus.ACCEPTED,
                    "invitations.$.accepted_by": change.member.account_id,
                    "invitations.$.accepted_at": change.at,
                },
                "$push": {"members": member_document(change.member)},
            },
            events=[event],
        )
        return workspace_of(accepted) if accepted else None


def _pending(invitation_id: str) -> Document:
    # Stored as pending: an expired one is pending past its expiry, and may be resent.
    return {"invitations": {"$elemMatch": {"id": invitation_id, "status": "pending"}}}
