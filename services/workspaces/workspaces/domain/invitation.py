"""Invitations to join a workspace, by email: pending for three days, then expired; accepted
once, by the account of the invited email; revoked by the owner; sent again with a new token
and a new expiry.

The token is a secret of the link in the mail: only its SHA-256 is kept (hash_token), so
neither the database nor its backups can accept an invitation. Expiry is computed from the
clock at each read and checked again by the accepting write; nothing sweeps.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.workspaces import InvitationCreatedV1, InvitationRevokedV1
from shared.text import normalize_email
from workspaces.domain.errors import (
    InvitationAcceptedError,
    InvitationEmailMismatchError,
    InvitationExpiredError,
    InvitationRevokedError,
    InvitationTokenReplacedError,
)

# As on the Alipay+ platform and App Store Connect.
INVITATION_TTL = timedelta(days=3)
# 32 random bytes: far beyond guessing, and the hash needs no salt or slow function.
_TOKEN_BYTES = 32
# Replaced tokens remembered per invitation, to tell an old link from an unknown one.
_REPLACED_KEPT = 5


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"  # computed: pending past expires_at
    REVOKED = "revoked"


class LinkStatus(StrEnum):
    """What one link (one token) of an invitation says: its invitation's status, or replaced
    when a resend gave a newer link to an invitation that is still open."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"


@dataclass(frozen=True)
class InvitationPreview:
    """What the holder of a link learns before accepting: what the mail told them."""

    workspace_name: str
    inviter_name: str
    email: str
    role: str
    expires_at: datetime
    status: LinkStatus


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Invited:
    """A new invitation, or a new token and expiry for one (a resend); `token` only goes
    sealed into the event, never into the document."""

    invitation: "Invitation"
    token: str


@dataclass(frozen=True)
class InvitationRevoked:
    invitation_id: str
    revoked_by: str
    at: datetime


@dataclass(frozen=True)
class Invitation:
    id: str
    workspace_id: str
    email: str
    role: str  # master or developer
    invited_by: str
    token_hash: str
    created_at: datetime
    expires_at: datetime
    stored_status: InvitationStatus = InvitationStatus.PENDING  # pending, accepted or revoked
    sent_count: int = 1
    last_sent_at: datetime | None = None
    # Hashes of the tokens a resend replaced: their links say so instead of "not found".
    replaced_token_hashes: tuple[str, ...] = ()
    accepted_by: str | None = None
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def create(
        cls, *, workspace_id: str, email: str, role: str, invited_by: str, now: datetime
    ) -> Invited:
        token = new_token()
        invitation = cls(
            id=str(uuid.uuid4()),
            workspace_id=workspace_id,
            email=email.strip(),
            role=role,
            invited_by=invited_by,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + INVITATION_TTL,
            last_sent_at=now,
        )
        return Invited(invitation=invitation, token=token)

    def status(self, now: datetime) -> InvitationStatus:
        if self.stored_status == InvitationStatus.PENDING and self.expires_at <= now:
            return InvitationStatus.EXPIRED
        return self.stored_status

    def link_status(self, token_hash: str, *, now: datetime) -> LinkStatus:
        """An old link of an accepted or revoked invitation says so (what happened matters
        more than which mail it came from); of an open one, that a newer mail replaced it."""
        status = self.status(now)
        open_ = status in (InvitationStatus.PENDING, InvitationStatus.EXPIRED)
        if open_ and token_hash != self.token_hash:
            return LinkStatus.REPLACED
        return LinkStatus(status.value)

    def is_for(self, email: str) -> bool:
        return normalize_email(self.email) == normalize_email(email)

    def resend(self, *, now: datetime) -> Invited:
        """A new token and a new expiry, for a pending or expired invitation; the old link
        stops working (it answers that a newer mail replaced it)."""
        self._check_open()
        token = new_token()
        again = replace(
            self,
            token_hash=hash_token(token),
            expires_at=now + INVITATION_TTL,
            sent_count=self.sent_count + 1,
            last_sent_at=now,
            # The newest few: a link older than that is simply not found.
            replaced_token_hashes=(*self.replaced_token_hashes, self.token_hash)[-_REPLACED_KEPT:],
        )
        return Invited(invitation=again, token=token)

    def revoke(
        self, *, by: str, now: datetime
    ) -> tuple[InvitationRevoked, InvitationRevokedV1] | None:
        """None when it is revoked already (revoking is idempotent)."""
        if self.stored_status == InvitationStatus.REVOKED:
            return None
        if self.stored_status == InvitationStatus.ACCEPTED:
            raise InvitationAcceptedError
        event = InvitationRevokedV1(
            invitation_id=self.id,
            workspace_id=self.workspace_id,
            email=self.email,
            role=self.role,
            revoked_by=by,
            revoked_at=now,
        )
        return InvitationRevoked(invitation_id=self.id, revoked_by=by, at=now), event

    def check_acceptable(self, *, token_hash: str, email: str, now: datetime) -> None:
        """Raises what stops this token from accepting it for this email now."""
        if token_hash != self.token_hash:
            raise InvitationTokenReplacedError
        self._check_open()
        if self.status(now) == InvitationStatus.EXPIRED:
            raise InvitationExpiredError
        if not self.is_for(email):
            raise InvitationEmailMismatchError

    def created_event(
        self, *, workspace_name: str, inviter_name: str, sealed_token: str
    ) -> InvitationCreatedV1:
        return InvitationCreatedV1(
            invitation_id=self.id,
            workspace_id=self.workspace_id,
            workspace_name=workspace_name,
            email=self.email,
            role=self.role,
            invited_by=self.invited_by,
            inviter_name=inviter_name,
            sealed_token=sealed_token,
            expires_at=self.expires_at,
            created_at=self.last_sent_at or self.created_at,
            resent=self.sent_count > 1,
        )

    def _check_open(self) -> None:
        if self.stored_status == InvitationStatus.ACCEPTED:
            raise InvitationAcceptedError
        if self.stored_status == InvitationStatus.REVOKED:
            raise InvitationRevokedError
