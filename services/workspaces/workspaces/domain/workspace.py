"""The workspace an approval provisions, and its members."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    InvitationCreatedV1,
    InvitationRevokedV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.text import normalize_email
from workspaces.domain.errors import (
    AlreadyMemberError,
    InvitationNotFoundError,
    InvitationPendingError,
    MemberNotFoundError,
    NotOwnerError,
    OwnerIsFixedError,
    TooManyInvitationsError,
    WorkspaceAlreadyActiveError,
)
from workspaces.domain.invitation import (
    Invitation,
    InvitationPreview,
    InvitationRevoked,
    InvitationStatus,
    Invited,
)

# Pending invitations per workspace: enough for a team, small enough for one document.
MAX_PENDING_INVITATIONS = 20
# Invitations a workspace keeps (newest); older accepted, revoked or expired ones drop off.
KEPT_INVITATIONS = 100


class WorkspaceStatus(StrEnum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"


class MemberRole(StrEnum):
    OWNER = "owner"
    MASTER = "master"
    DEVELOPER = "developer"


_WORKSPACE_NAMESPACE = uuid.UUID("0d4bbd7e-5a8e-4c0d-9a39-6b1f3c3f5a11")


def workspace_id_for(application_id: str) -> str:
    """The workspace of an approved application has a fixed id: provisioning is idempotent."""
    return str(uuid.uuid5(_WORKSPACE_NAMESPACE, application_id))


@dataclass(frozen=True)
class DirectoryAccount:
    """An account as the accounts service announced it (account.registered.v1)."""

    account_id: str
    email: str
    full_name: str


@dataclass(frozen=True)
class Member:
    account_id: str
    email: str
    full_name: str
    role: MemberRole
    added_at: datetime


# --- what a transition changes ----------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceActivated:
    activated_at: datetime


@dataclass(frozen=True)
class MemberAdded:
    member: Member


@dataclass(frozen=True)
class MemberRoleChanged:
    account_id: str
    role: MemberRole


@dataclass(frozen=True)
class MemberRemoved:
    account_id: str


@dataclass(frozen=True)
class InvitationAccepted:
    invitation_id: str
    token_hash: str
    member: Member
    at: datetime


# --- the workspace ----------------------------------------------------------------------


@dataclass(frozen=True)
class Workspace:
    id: str
    application_id: str
    name: str
    status: WorkspaceStatus
    owner_account_id: str
    logo_id: str | None
    logo_color: str  # picked once, stored: the default logo never changes colour
    members: tuple[Member, ...]
    created_at: datetime
    activated_at: datetime | None = None
    invitations: tuple[Invitation, ...] = ()

    @classmethod
    def provision(
        cls,
        *,
        approval: ApplicationReviewedV1,
        logo_id: str | None,
        logo_color: str,
        now: datetime,
    ) -> "Workspace":
        """The workspace of an approved application, named after the company, with the
        applicant as its owner; it is active once `activate` has announced it."""
        owner = Member(
            account_id=approval.account_id,
            email=approval.email,
            full_name=approval.full_name,
            role=MemberRole.OWNER,
            added_at=now,
        )
        return cls(
            id=workspace_id_for(approval.application_id),
            application_id=approval.application_id,
            name=approval.company_name,
            status=WorkspaceStatus.PROVISIONING,
            owner_account_id=approval.account_id,
            logo_id=logo_id,
            logo_color=logo_color,
            members=(owner,),
            created_at=now,
        )

    def activate(self, now: datetime) -> tuple[WorkspaceActivated, WorkspaceCreatedV1]:
        if self.status != WorkspaceStatus.PROVISIONING:
            raise WorkspaceAlreadyActiveError
        owner = self.member(self.owner_account_id)
        assert owner is not None, "the owner is a member from the start"
        event = WorkspaceCreatedV1(
            workspace_id=self.id,
            name=self.name,
            owner_account_id=self.owner_account_id,
            owner_email=owner.email,
            application_id=self.application_id,
            created_at=self.created_at,
        )
        return WorkspaceActivated(activated_at=now), event

    # --- members -------------------------------------------------------------------------

    def member(self, account_id: str) -> Member | None:
        return next((m for m in self.members if m.account_id == account_id), None)

    def role_of(self, account_id: str) -> MemberRole | None:
        """The account's role here; None when it is no member (the workspace is not its)."""
        member = self.member(account_id)
        return member.role if member else None

    def check_manages_members(self, account_id: str) -> None:
        """Only the owner manages members."""
        if self.role_of(account_id) != MemberRole.OWNER:
            raise NotOwnerError

    def add_member(
        self, account: DirectoryAccount, *, role: MemberRole, now: datetime
    ) -> tuple[MemberAdded, WorkspaceMemberAddedV1]:
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError  # the applicant is the one owner
        member, event = self._join(account, role=role, by=self.owner_account_id, now=now)
        return MemberAdded(member=member), event

    def _join(
        self,
        account: DirectoryAccount,
        *,
        role: MemberRole,
        by: str,
        now: datetime,
        invitation_id: str | None = None,
    ) -> tuple[Member, WorkspaceMemberAddedV1]:
        """The new member and its event; `by` is the owner who added it, or the member who
        accepted `invitation_id`."""
        if self.member(account.account_id) is not None:
            raise AlreadyMemberError
        member = Member(
            account_id=account.account_id,
            email=account.email,
            full_name=account.full_name,
            role=role,
            added_at=now,
        )
        event = WorkspaceMemberAddedV1(
            workspace_id=self.id,
            account_id=account.account_id,
            email=account.email,
            role=role,
            added_at=now,
            added_by=by,
            invitation_id=invitation_id,
            full_name=account.full_name,
        )
        return member, event

    def member_by_email(self, email: str) -> Member | None:
        wanted = normalize_email(email)
        return next((m for m in self.members if normalize_email(m.email) == wanted), None)

    def change_member_role(
        self, account_id: str, *, role: MemberRole, now: datetime
    ) -> tuple[MemberRoleChanged, WorkspaceMemberRoleChangedV1]:
        self._check_changeable(account_id)
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError
        before = self.member(account_id)
        event = WorkspaceMemberRoleChangedV1(
            workspace_id=self.id,
            account_id=account_id,
            role=role,
            changed_at=now,
            changed_by=self.owner_account_id,
            previous_role=before.role if before else None,
            email=before.email if before else None,
        )
        return MemberRoleChanged(account_id=account_id, role=role), event

    def remove_member(
        self, account_id: str, *, now: datetime
    ) -> tuple[MemberRemoved, WorkspaceMemberRemovedV1]:
        self._check_changeable(account_id)
        before = self.member(account_id)
        event = WorkspaceMemberRemovedV1(
            workspace_id=self.id,
            account_id=account_id,
            removed_at=now,
            removed_by=self.owner_account_id,
            email=before.email if before else None,
            role=before.role if before else None,
        )
        return MemberRemoved(account_id=account_id), event

    def _check_changeable(self, account_id: str) -> None:
        role = self.role_of(account_id)
        if role is None:
            raise MemberNotFoundError
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError

    # --- invitations ---------------------------------------------------------------------

    def invitation(self, invitation_id: str) -> Invitation:
        found = next((i for i in self.invitations if i.id == invitation_id), None)
        if found is None:
            raise InvitationNotFoundError
        return found

    def invite(
        self, *, email: str, role: MemberRole, now: datetime, seal: Callable[[str], str]
    ) -> tuple[Invited, InvitationCreatedV1]:
        """The owner invites an email as master or developer (check_manages_members first)."""
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError
        if self.member_by_email(email) is not None:
            raise AlreadyMemberError
        pending = [i for i in self.invitations if i.status(now) == InvitationStatus.PENDING]
        if any(i.is_for(email) for i in pending):
            raise InvitationPendingError
        if len(pending) >= MAX_PENDING_INVITATIONS:
            raise TooManyInvitationsError(MAX_PENDING_INVITATIONS)
        invited = Invitation.create(
            workspace_id=self.id, email=email, role=role, invited_by=self.owner_account_id, now=now
        )
        return invited, self._created_event(invited, seal=seal)

    def resend_invitation(
        self, invitation_id: str, *, now: datetime, seal: Callable[[str], str]
    ) -> tuple[Invited, InvitationCreatedV1]:
        invited = self.invitation(invitation_id).resend(now=now)
        return invited, self._created_event(invited, seal=seal)

    def revoke_invitation(
        self, invitation_id: str, *, now: datetime
    ) -> tuple[InvitationRevoked, InvitationRevokedV1] | None:
        return self.invitation(invitation_id).revoke(by=self.owner_account_id, now=now)

    def accept_invitation(
        self, token_hash: str, *, account: DirectoryAccount, now: datetime
    ) -> tuple[InvitationAccepted, WorkspaceMemberAddedV1]:
        """The account (the signed-in invitee) joins with the invited role."""
        invitation = self.invitation_with_token(token_hash)
        invitation.check_acceptable(token_hash=token_hash, email=account.email, now=now)
        member, event = self._join(
            account,
            role=MemberRole(invitation.role),
            by=account.account_id,
            now=now,
            invitation_id=invitation.id,
        )
        accepted = InvitationAccepted(
            invitation_id=invitation.id, token_hash=token_hash, member=member, at=now
        )
        return accepted, event

    def invitation_with_token(self, token_hash: str) -> Invitation:
        """The invitation this token is (or was, before a resend) the token of."""
        for invitation in self.invitations:
            if (
                token_hash == invitation.token_hash
                or token_hash in invitation.replaced_token_hashes
            ):
                return invitation
        raise InvitationNotFoundError

    def preview_invitation(self, token_hash: str, *, now: datetime) -> InvitationPreview:
        """What the link of this token offers, and whether it still works."""
        invitation = self.invitation_with_token(token_hash)
        return InvitationPreview(
            workspace_name=self.name,
            inviter_name=self._inviter_name(),
            email=invitation.email,
            role=invitation.role,
            expires_at=invitation.expires_at,
            status=invitation.link_status(token_hash, now=now),
        )

    def _inviter_name(self) -> str:
        owner = self.member(self.owner_account_id)  # only the owner invites
        return owner.full_name if owner else self.name

    def _created_event(
        self, invited: Invited, *, seal: Callable[[str], str]
    ) -> InvitationCreatedV1:
        return invited.invitation.created_event(
            workspace_name=self.name,
            inviter_name=self._inviter_name(),
            sealed_token=seal(invited.token),
        )
