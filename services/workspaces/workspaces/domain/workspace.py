"""The workspace an approval provisions, and its members."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from workspaces.domain.errors import (
    AlreadyMemberError,
    MemberNotFoundError,
    NotOwnerError,
    OwnerIsFixedError,
    WorkspaceAlreadyActiveError,
)


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
        )
        return MemberAdded(member=member), event

    def change_member_role(
        self, account_id: str, *, role: MemberRole, now: datetime
    ) -> tuple[MemberRoleChanged, WorkspaceMemberRoleChangedV1]:
        self._check_changeable(account_id)
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError
        event = WorkspaceMemberRoleChangedV1(
            workspace_id=self.id, account_id=account_id, role=role, changed_at=now
        )
        return MemberRoleChanged(account_id=account_id, role=role), event

    def remove_member(
        self, account_id: str, *, now: datetime
    ) -> tuple[MemberRemoved, WorkspaceMemberRemovedV1]:
        self._check_changeable(account_id)
        event = WorkspaceMemberRemovedV1(
            workspace_id=self.id, account_id=account_id, removed_at=now
        )
        return MemberRemoved(account_id=account_id), event

    def _check_changeable(self, account_id: str) -> None:
        role = self.role_of(account_id)
        if role is None:
            raise MemberNotFoundError
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError
