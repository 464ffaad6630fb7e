"""Use cases of the workspaces service: load the aggregate, let it decide, save what changed."""

import logging
import random

from shared.auth import Principal
from shared.contracts.accounts import AccountRegisteredV1, EmailVerifiedV1
from shared.contracts.workspaces import ApplicationReviewedV1
from shared.events import Envelope
from shared.images import Logo, LogoStore
from shared.mongo import Clock, Document
from workspaces.domain import (
    LOGO_COLORS,
    AlreadyMemberError,
    Applicant,
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationStatus,
    ApplicationUnderReviewError,
    DirectoryAccount,
    DraftStep,
    FormValues,
    Member,
    MemberNotFoundError,
    MemberRole,
    NoDraftError,
    UnknownAccountError,
    Workspace,
    WorkspaceAlreadyActiveError,
    WorkspaceNotFoundError,
)
from workspaces.store import AccountsDirectory, ApplicationStore, WorkspaceStore

log = logging.getLogger(__name__)

# A concurrent first save may win the insert of the draft; then we edit its draft.
_DRAFT_ATTEMPTS = 3


class AccountNotKnownYetError(Exception):
    """An event about an account whose account.registered.v1 is not applied yet: retried."""


class WorkspacesService:
    def __init__(
        self,
        *,
        applications: ApplicationStore,
        workspaces: WorkspaceStore,
        directory: AccountsDirectory,
        logos: LogoStore,
        clock: Clock,
    ) -> None:
        self._applications = applications
        self._workspaces = workspaces
        self._directory = directory
        self._logos = logos
        self._clock = clock

    # --- the application ---------------------------------------------------------------

    async def current_application(self, principal: Principal) -> Application | None:
        return await self._applications.latest_application(principal.account_id)

    async def my_application(self, principal: Principal, application_id: str) -> Application:
        application = await self._applications.application(application_id)
        if application is None or application.account_id != principal.account_id:
            raise ApplicationNotFoundError  # another tenant's application does not exist
        return application

    async def application_history(self, principal: Principal) -> list[Application]:
        return await self._applications.applications_of(principal.account_id)

    async def save_draft(
        self, principal: Principal, *, changes: FormValues, step: DraftStep | None
    ) -> Application:
        """Apply form changes (validated per field by the caller) to the open draft,
        starting one if needed: prefilled from the rejected application after a rejection."""
        draft = await self._open_draft(principal)
        change = draft.save_draft(changes, step=step, now=self._clock())
        saved = await self._applications.save_draft(draft.id, change)
        if saved is None:  # submitted between our read and write
            raise ApplicationUnderReviewError
        return saved

    async def set_draft_logo(self, principal: Principal, logo: Logo | None) -> Application:
        draft = await self._open_draft(principal)
        logo_id = await self._logos.save(logo) if logo is not None else None
        saved = await self._applications.set_logo(
            draft.id, draft.set_logo(logo_id, now=self._clock())
        )
        if saved is None:
            raise ApplicationUnderReviewError
        return saved

    async def logo(self, logo_id: str | None) -> Document | None:
        return await self._logos.find(logo_id)

    async def _open_draft(self, principal: Principal) -> Application:
        for _ in range(_DRAFT_ATTEMPTS):
            latest = await self._applications.latest_application(principal.account_id)
            if latest is not None and latest.status == ApplicationStatus.DRAFT:
                return latest
            draft = Application.new_draft(
                account_id=principal.account_id,
                previous=latest,
                logo_color=random.choice(LOGO_COLORS),  # noqa: S311 (not security)
                now=self._clock(),
            )
            if await self._applications.insert_draft(draft):
                return draft
        raise ApplicationUnderReviewError

    async def submit_application(self, principal: Principal) -> Application:
        latest = await self._applications.latest_application(principal.account_id)
        if latest is None:
            raise NoDraftError
        change, event = latest.submit(applicant=await self._applicant(principal), now=self._clock())
        verified = await self._directory.verified([principal.account_id])
        submitted = await self._applications.submit(
            latest.id, change=change, event=event, email_verified=bool(verified)
        )
        if submitted is None:
            raise NoDraftError
        return submitted

    async def _applicant(self, principal: Principal) -> Applicant:
        """Who applies, for the reviewer and the notification mail: the accounts directory
        (projected from account.registered.v1), else what the token says."""
        known = await self._directory.account(principal.account_id)
        if known is None:
            return Applicant.from_token(principal.email)
        return Applicant(email=known.email, full_name=known.full_name)

    async def withdraw_application(self, principal: Principal) -> Application:
        """The caller's application under review goes back to them: out of the queue, and a
        new draft (prefilled from it) may start. Against a decision, one write wins."""
        for _ in range(2):
            latest = await self._applications.latest_application(principal.account_id)
            if latest is None:
                raise ApplicationNotFoundError
            change, event = latest.withdraw(now=self._clock())
            withdrawn = await self._applications.withdraw(latest.id, change=change, event=event)
            if withdrawn is not None:
                return withdrawn
        raise ApplicationAlreadyDecidedError

    async def queue_position(self, application: Application) -> int | None:
        return (await self._applications.queue_positions([application])).get(application.id)

    # --- provisioning (consumer of our own review events) ---------------------------------

    async def on_application_reviewed(self, event: Envelope) -> None:
        """Approval → a workspace: provisioning, then active. Idempotent: the workspace id
        is derived from the application, and each step only moves forward."""
        reviewed = event.payload(ApplicationReviewedV1)
        if reviewed.decision != "approve":
            return
        application = await self._applications.application(reviewed.application_id)
        if application is None:
            log.error("approved application %s not found", reviewed.application_id)
            return
        now = self._clock()
        workspace = await self._workspaces.create_workspace(
            Workspace.provision(
                approval=reviewed,
                logo_id=application.logo_id,
                # The colour the applicant saw in the preview (older drafts had none yet).
                logo_color=application.logo_color or random.choice(LOGO_COLORS),  # noqa: S311
                now=now,
            )
        )
        try:
            change, created = workspace.activate(now)
        except WorkspaceAlreadyActiveError:
            return  # a redelivery after the workspace was activated
        await self._workspaces.activate_workspace(
            workspace.id, change=change, event=created, causation_id=event.id
        )

    async def on_account_registered(self, event: Envelope) -> None:
        account = event.payload(AccountRegisteredV1)
        await self._directory.remember(
            DirectoryAccount(
                account_id=account.account_id, email=account.email, full_name=account.full_name
            )
        )

    async def on_account_email_verified(self, event: Envelope) -> None:
        verified = event.payload(EmailVerifiedV1)
        if not await self._directory.remember_email_verified(
            verified.account_id, at=verified.verified_at
        ):
            # Retried by the bus: the account's registration event is not applied yet.
            raise AccountNotKnownYetError(verified.account_id)
        await self._applications.mark_email_verified(verified.account_id)

    # --- workspaces and members -----------------------------------------------------------

    async def my_workspaces(self, principal: Principal) -> list[tuple[Workspace, MemberRole]]:
        """The caller's workspaces, each with the caller's role in it."""
        found = await self._workspaces.workspaces_of(principal.account_id)
        return [(w, role) for w in found if (role := w.role_of(principal.account_id))]

    async def workspace_for(
        self, principal: Principal, workspace_id: str
    ) -> tuple[Workspace, MemberRole]:
        """The workspace and the caller's role in it; other tenants' workspaces do not exist."""
        workspace = await self._workspaces.workspace(workspace_id)
        role = workspace.role_of(principal.account_id) if workspace else None
        if workspace is None or role is None:
            raise WorkspaceNotFoundError
        return workspace, role

    async def _managed(self, principal: Principal, workspace_id: str) -> Workspace:
        workspace, _ = await self.workspace_for(principal, workspace_id)
        workspace.check_manages_members(principal.account_id)
        return workspace

    async def members(self, principal: Principal, workspace_id: str) -> tuple[Member, ...]:
        workspace, _ = await self.workspace_for(principal, workspace_id)
        return workspace.members

    async def add_member(
        self, principal: Principal, workspace_id: str, *, email: str, role: MemberRole
    ) -> Member:
        workspace = await self._managed(principal, workspace_id)
        account = await self._directory.account_by_email(email)
        if account is None:
            raise UnknownAccountError
        change, event = workspace.add_member(account, role=role, now=self._clock())
        if not await self._workspaces.add_member(workspace.id, change=change, event=event):
            raise AlreadyMemberError
        return change.member

    async def change_member_role(
        self, principal: Principal, *, workspace_id: str, account_id: str, role: MemberRole
    ) -> Member:
        workspace = await self._managed(principal, workspace_id)
        change, event = workspace.change_member_role(account_id, role=role, now=self._clock())
        changed = await self._workspaces.change_member_role(
            workspace.id, change=change, event=event
        )
        member = changed.member(account_id) if changed else None
        if member is None:
            raise MemberNotFoundError
        return member

    async def remove_member(
        self, principal: Principal, *, workspace_id: str, account_id: str
    ) -> None:
        workspace = await self._managed(principal, workspace_id)
        change, event = workspace.remove_member(account_id, now=self._clock())
        if not await self._workspaces.remove_member(workspace.id, change=change, event=event):
            raise MemberNotFoundError
