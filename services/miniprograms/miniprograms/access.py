"""Per-mini-program access: the workspace's owner and masters grant a developer one mini
program at a time and take it away; a developer lists, reads and modifies only those.

A grant is the developer's account id in the mini program's `developer_ids`, each change one
conditional write with its event (miniprogram.access.granted.v1 / .revoked.v1). A developer
who leaves the workspace, or stops being a developer (made master: they see every mini
program anyway; made developer again later: they start with none, least privilege), loses
every grant, decided from the membership projection rather than from the event alone, so a
late or redelivered event cannot take away a grant made after the member came back.
"""

from dataclasses import dataclass
from datetime import datetime

from miniprograms.domain import (
    ForbiddenError,
    Membership,
    MiniProgram,
    NotFoundError,
    WorkspaceRole,
    can_create,
)
from shared.contracts.miniprograms import MiniProgramAccessGrantedV1, MiniProgramAccessRevokedV1


class NotAllowedToGrantError(ForbiddenError):
    """Only the workspace's owner and masters grant and revoke access."""


class NotAllowedToSeeGrantsError(ForbiddenError):
    """Only the workspace's owner and masters see what another member is granted."""


class DeveloperNotFoundError(NotFoundError):
    """The account is no member of the mini program's workspace."""


class NotADeveloperError(Exception):
    """The member is the owner or a master: they see every mini program without a grant."""


@dataclass(frozen=True)
class AccessChange:
    mini_program_id: str
    workspace_id: str
    account_id: str
    granted: bool


def check_may_grant(manager: Membership, account_id: str) -> None:
    if not can_create(manager.member_role(account_id)):
        raise NotAllowedToGrantError


def check_may_see_grants(viewer: Membership, *, viewer_id: str, account_id: str) -> None:
    """Anyone in the workspace sees their own grants; another's, only the owner and masters
    (a non-member is refused first, as for any workspace object: not found)."""
    role = viewer.member_role(viewer_id)
    if account_id != viewer_id and not can_create(role):
        raise NotAllowedToSeeGrantsError


def grant(
    mini_program: MiniProgram,
    *,
    developer_role: WorkspaceRole | None,
    account_id: str,
    by: str,
    now: datetime,
) -> tuple[AccessChange, MiniProgramAccessGrantedV1] | None:
    """None when the developer has access already (a PUT again changes nothing)."""
    if developer_role is None:
        raise DeveloperNotFoundError
    if developer_role != WorkspaceRole.DEVELOPER:
        raise NotADeveloperError
    if account_id in mini_program.developer_ids:
        return None
    event = MiniProgramAccessGrantedV1(
        mini_program_id=mini_program.id,
        workspace_id=mini_program.workspace_id,
        name=mini_program.fields.name,
        account_id=account_id,
        granted_by=by,
        granted_at=now,
    )
    return AccessChange(mini_program.id, mini_program.workspace_id, account_id, True), event


def revoke(
    mini_program: MiniProgram,
    *,
    account_id: str,
    by: str | None,
    now: datetime,
    reason: str = "revoked",
) -> tuple[AccessChange, MiniProgramAccessRevokedV1] | None:
    """None when the account has no access (a DELETE again changes nothing)."""
    if account_id not in mini_program.developer_ids:
        return None
    event = MiniProgramAccessRevokedV1(
        mini_program_id=mini_program.id,
        workspace_id=mini_program.workspace_id,
        name=mini_program.fields.name,
        account_id=account_id,
        revoked_by=by,
        revoked_at=now,
        reason=reason,
    )
    return AccessChange(mini_program.id, mini_program.workspace_id, account_id, False), event


def keeps_grants(role: WorkspaceRole | None) -> bool:
    """Only a developer holds grants: a removed member, or one made master, loses them."""
    return role == WorkspaceRole.DEVELOPER
