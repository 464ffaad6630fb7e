"""Use cases of invitations: the owner invites an email, lists, resends and revokes; the
invitee, signed in with the invited email, accepts with the link's token and becomes a member.
"""

from collections.abc import Callable
from datetime import datetime

from shared.auth import Principal
from shared.mongo import Clock
from workspaces.domain import (
    DirectoryAccount,
    Invitation,
    InvitationAcceptedError,
    InvitationNotFoundError,
    InvitationPendingError,
    MemberRole,
    Workspace,
    hash_token,
)
from workspaces.domain.application import Applicant
from workspaces.domain.invitation import InvitationPreview
from workspaces.service import WorkspacesService
from workspaces.store import AccountsDirectory, InvitationStore


class InvitationService:
    def __init__(
        self,
        *,
        workspaces: WorkspacesService,
        invitations: InvitationStore,
        directory: AccountsDirectory,
        clock: Clock,
        seal: Callable[[str], str],
    ) -> None:
        self._workspaces = workspaces
        self._invitations = invitations
        self._directory = directory
        self._clock = clock
        self._seal = seal  # the raw token goes into the event only sealed (shared.sealing)

    def now(self) -> datetime:
        return self._clock()

    async def _managed(self, principal: Principal, workspace_id: str) -> Workspace:
        workspace, _ = await self._workspaces.workspace_for(principal, workspace_id)
        workspace.check_manages_members(principal.account_id)
        return workspace

    async def invitations(self, principal: Principal, workspace_id: str) -> list[Invitation]:
        """The workspace's invitations, newest first (the owner's)."""
        workspace = await self._managed(principal, workspace_id)
        return sorted(workspace.invitations, key=lambda i: i.created_at, reverse=True)

    async def invite(
        self, principal: Principal, workspace_id: str, *, email: str, role: MemberRole
    ) -> Invitation:
        workspace = await self._managed(principal, workspace_id)
        now = self._clock()
        invited, event = workspace.invite(email=email, role=role, now=now, seal=self._seal)
        if not await self._invitations.add(workspace.id, invited=invited, event=event, now=now):
            raise InvitationPendingError
        return invited.invitation

    async def resend(
        self, principal: Principal, *, workspace_id: str, invitation_id: str
    ) -> Invitation:
        workspace = await self._managed(principal, workspace_id)
        invited, event = workspace.resend_invitation(
            invitation_id, now=self._clock(), seal=self._seal
        )
        if await self._invitations.resend(workspace.id, invited=invited, event=event) is None:
            # Accepted or revoked since we read it: say which.
            workspace = await self._managed(principal, workspace_id)
            workspace.resend_invitation(invitation_id, now=self._clock(), seal=self._seal)
            raise InvitationAcceptedError
        return invited.invitation

    async def revoke(self, principal: Principal, *, workspace_id: str, invitation_id: str) -> None:
        workspace = await self._managed(principal, workspace_id)
        revoked = workspace.revoke_invitation(invitation_id, now=self._clock())
        if revoked is None:
            return  # revoked before: nothing changes
        change, event = revoked
        if not await self._invitations.revoke(workspace.id, change=change, event=event):
            workspace = await self._managed(principal, workspace_id)
            if workspace.revoke_invitation(invitation_id, now=self._clock()) is not None:
                raise InvitationAcceptedError  # it changed under us and is not revoked

    async def preview(self, token: str) -> InvitationPreview:
        """What the link offers and whether it still works, for whoever holds it (no sign-in:
        the invitee may have no account yet). Unknown tokens are not found, whatever else."""
        workspace = await self._invitations.workspace_with_token(hash_token(token))
        if workspace is None:
            raise InvitationNotFoundError
        return workspace.preview_invitation(hash_token(token), now=self._clock())

    async def accept(self, principal: Principal, token: str) -> tuple[Workspace, Invitation]:
        """Join the workspace the token invites to, as the signed-in account. Raises why not:
        unknown, replaced, expired, revoked or used token, another account's invitation."""
        token_hash = hash_token(token)
        account = await self._account(principal)
        for _ in range(2):  # a lost race is explained by reading again
            workspace = await self._invitations.workspace_with_token(token_hash)
            if workspace is None:
                raise InvitationNotFoundError
            change, event = workspace.accept_invitation(
                token_hash, account=account, now=self._clock()
            )
            joined = await self._invitations.accept(workspace.id, change=change, event=event)
            if joined is not None:
                return joined, joined.invitation(change.invitation_id)
        raise InvitationAcceptedError

    async def _account(self, principal: Principal) -> DirectoryAccount:
        """The signed-in account. Its email is the token's (the account's own, as accounts
        signed it); its name comes from the directory, which may not know a fresh signup."""
        known = await self._directory.account(principal.account_id)
        name = known.full_name if known else Applicant.from_token(principal.email).full_name
        return DirectoryAccount(
            account_id=principal.account_id, email=principal.email, full_name=name
        )
