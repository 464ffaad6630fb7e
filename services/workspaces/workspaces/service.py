"""Use cases of the workspaces service."""

import logging
import random
import uuid
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.auth import Principal
from shared.contracts.accounts import AccountRegisteredV1
from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.events import Envelope, EventPayload, new_event
from shared.http import FieldError, errors_from_pydantic
from shared.images import Logo
from shared.logging import correlation_id_var
from shared.mongo import Database, utc_now
from shared.outbox import EventsSaved
from workspaces.domain import (
    FORM_FIELDS,
    LOGO_COLORS,
    AlreadyApprovedError,
    AlreadyMemberError,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationStatus,
    ApplicationUnderReviewError,
    CompleteForm,
    Decision,
    DraftStep,
    MemberNotFoundError,
    MemberRole,
    NoDraftError,
    NotOwnerError,
    OwnerIsFixedError,
    UnknownAccountError,
    WorkspaceNotFoundError,
    WorkspaceStatus,
    expected_decision_by,
    workspace_id_for,
)
from workspaces.store import APPLICATIONS, WORKSPACES, WorkspaceStore

log = logging.getLogger(__name__)

type Doc = dict[str, Any]


class IncompleteApplicationError(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("the application is incomplete")
        self.errors = errors


class WorkspacesService:
    def __init__(self, *, db: Database, producer: str, notify_outbox: EventsSaved) -> None:
        self._store = WorkspaceStore(db)
        self._producer = producer
        # Called after a write that saved events, so the relay publishes them at once.
        self._notify_outbox = notify_outbox

    def _event(self, payload: EventPayload, *, causation_id: str | None = None) -> Envelope:
        return new_event(
            payload,
            producer=self._producer,
            correlation_id=correlation_id_var.get(),
            causation_id=causation_id,
        )

    # --- the application ---------------------------------------------------------------

    async def current_application(self, principal: Principal) -> Doc | None:
        return await self._store.latest_application(principal.account_id)

    async def my_application(self, principal: Principal, application_id: str) -> Doc:
        application = await self._store.application(application_id)
        if application is None or application["account_id"] != principal.account_id:
            raise ApplicationNotFoundError  # another tenant's application does not exist
        return application

    async def application_history(self, principal: Principal) -> list[Doc]:
        return await self._store.applications_of(principal.account_id)

    async def save_draft(
        self, principal: Principal, *, changes: dict[str, Any], step: DraftStep | None
    ) -> Doc:
        """Apply form changes (validated per field by the caller) to the open draft,
        starting one if needed: prefilled from the rejected application after a rejection."""
        draft = await self._open_draft(principal)
        update: dict[str, Any] = {"$set": {"updated_at": utc_now()}}
        for name, value in changes.items():
            update["$set"][f"form.{name}"] = value
        if step is not None:
            update["$set"]["step"] = step
        saved = await self._store.update_draft(draft["_id"], update)
        if saved is None:  # submitted between our read and write
            raise ApplicationUnderReviewError
        return saved

    async def set_draft_logo(self, principal: Principal, logo: Logo | None) -> Doc:
        draft = await self._open_draft(principal)
        logo_id = None
        if logo is not None:
            logo_id = await self._save_logo(logo)
        saved = await self._store.update_draft(
            draft["_id"], {"$set": {"logo_id": logo_id, "updated_at": utc_now()}}
        )
        if saved is None:
            raise ApplicationUnderReviewError
        return saved

    async def _save_logo(self, logo: Logo) -> str:
        document = logo.document()
        await self._store.insert_logo(document)
        return str(document["_id"])

    async def logo(self, logo_id: str) -> Doc | None:
        return await self._store.logo(logo_id)

    async def _open_draft(self, principal: Principal) -> Doc:
        for _ in range(3):  # a concurrent first save may win the insert; then use its draft
            latest = await self._store.latest_application(principal.account_id)
            if latest is not None:
                status = latest["status"]
                if status == ApplicationStatus.DRAFT:
                    return latest
                if status == ApplicationStatus.UNDER_REVIEW:
                    raise ApplicationUnderReviewError
                if status == ApplicationStatus.APPROVED:
                    raise AlreadyApprovedError
            draft = self._new_draft(principal, previous=latest)
            if await self._store.insert_draft(draft):
                return draft
        raise ApplicationUnderReviewError

    @staticmethod
    def _new_draft(principal: Principal, *, previous: Doc | None) -> Doc:
        now = utc_now()
        return {
            "_id": str(uuid.uuid4()),
            "account_id": principal.account_id,
            "open_key": principal.account_id,
            "status": ApplicationStatus.DRAFT,
            "step": DraftStep.ROLE,
            # After a rejection the applicant starts from what they sent, not from scratch.
            "form": dict(previous["form"]) if previous else {},
            "logo_id": previous.get("logo_id") if previous else None,
            "previous_application_id": previous["_id"] if previous else None,
            "created_at": now,
            "updated_at": now,
        }

    async def submit_application(self, principal: Principal) -> Doc:
        latest = await self._store.latest_application(principal.account_id)
        if latest is None or latest["status"] != ApplicationStatus.DRAFT:
            raise NoDraftError
        try:
            form = CompleteForm.model_validate(latest["form"])
        except ValidationError as exc:
            raise IncompleteApplicationError(errors_from_pydantic(exc)) from exc
        applicant = await self._applicant(principal)
        now = utc_now()
        decide_by = expected_decision_by(now)
        event = self._event(
            ApplicationSubmittedV1(
                application_id=latest["_id"],
                account_id=principal.account_id,
                email=applicant["email"],
                full_name=applicant["full_name"],
                company_name=form.company_name,
                submitted_at=now,
                expected_decision_by=decide_by,
                previous_application_id=latest.get("previous_application_id"),
            )
        )
        submitted = await self._store.move(
            latest["_id"],
            from_status=ApplicationStatus.DRAFT,
            events=[event],
            update={
                "$set": {
                    "status": ApplicationStatus.UNDER_REVIEW,
                    "form": form.model_dump(),
                    "applicant": applicant,
                    "submitted_at": now,
                    "expected_decision_by": decide_by,
                    "updated_at": now,
                }
            },
        )
        if submitted is None:
            raise NoDraftError
        self._notify_outbox(APPLICATIONS, submitted["_id"])
        return submitted

    async def _applicant(self, principal: Principal) -> dict[str, str]:
        """Who applies, for the reviewer and the notification mail: the accounts directory
        (projected from account.registered.v1), else what the token says."""
        known = await self._store.account(principal.account_id)
        if known is not None:
            return {"email": known["email"], "full_name": known["full_name"]}
        return {"email": principal.email, "full_name": principal.email.split("@")[0]}

    # --- review --------------------------------------------------------------------------

    async def review_queue(
        self, *, status: ApplicationStatus, limit: int, after: tuple[datetime, str] | None
    ) -> list[Doc]:
        return await self._store.review_queue(status=status, limit=limit, after=after)

    async def application_for_review(self, application_id: str) -> Doc:
        application = await self._store.application(application_id)
        if application is None or application["status"] == ApplicationStatus.DRAFT:
            raise ApplicationNotFoundError
        return application

    async def decide_application(
        self, reviewer: Principal, application_id: str, *, decision: Decision, reason: str | None
    ) -> Doc:
        application = await self.application_for_review(application_id)
        now = utc_now()
        approved = decision == "approve"
        event = self._event(
            ApplicationReviewedV1(
                application_id=application_id,
                account_id=application["account_id"],
                email=application["applicant"]["email"],
                full_name=application["applicant"]["full_name"],
                company_name=application["form"]["company_name"],
                decision=decision,
                reason=reason,
                reviewed_at=now,
                reviewer_id=reviewer.account_id,
            )
        )
        update: dict[str, Any] = {
            "$set": {
                "status": ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED,
                "decision": {
                    "decision": decision,
                    "reason": reason,
                    "reviewer_id": reviewer.account_id,
                    "reviewed_at": now,
                },
                "updated_at": now,
            }
        }
        if approved:
            update["$set"]["workspace_id"] = workspace_id_for(application_id)
        else:
            update["$unset"] = {"open_key": ""}  # the applicant may apply again
        decided = await self._store.move(
            application_id,
            from_status=ApplicationStatus.UNDER_REVIEW,
            update=update,
            events=[event],
        )
        if decided is None:
            raise ApplicationAlreadyDecidedError
        self._notify_outbox(APPLICATIONS, decided["_id"])
        return decided

    # --- provisioning (consumer of our own review events) ---------------------------------

    async def on_application_reviewed(self, event: Envelope) -> None:
        """Approval → a workspace: provisioning, then active. Idempotent: the workspace id
        is derived from the application, and each step only moves forward."""
        reviewed = event.payload(ApplicationReviewedV1)
        if reviewed.decision != "approve":
            return
        application = await self._store.application(reviewed.application_id)
        if application is None:
            log.error("approved application %s not found", reviewed.application_id)
            return
        workspace_id = workspace_id_for(reviewed.application_id)
        now = utc_now()
        await self._store.create_workspace(
            {
                "_id": workspace_id,
                "application_id": reviewed.application_id,
                "name": reviewed.company_name,
                "status": WorkspaceStatus.PROVISIONING,
                "owner_account_id": reviewed.account_id,
                "logo_id": application.get("logo_id"),
                # Picked once, stored: the default logo never changes colour.
                "logo_color": random.choice(LOGO_COLORS),  # noqa: S311 (not security)
                "members": [
                    {
                        "account_id": reviewed.account_id,
                        "email": reviewed.email,
                        "full_name": reviewed.full_name,
                        "role": MemberRole.OWNER,
                        "added_at": now,
                    }
                ],
                "created_at": now,
            }
        )
        created = self._event(
            WorkspaceCreatedV1(
                workspace_id=workspace_id,
                name=reviewed.company_name,
                owner_account_id=reviewed.account_id,
                owner_email=reviewed.email,
                application_id=reviewed.application_id,
                created_at=now,
            ),
            causation_id=event.id,
        )
        if await self._store.activate_workspace(workspace_id, [created]):
            self._notify_outbox(WORKSPACES, workspace_id)

    async def on_account_registered(self, event: Envelope) -> None:
        account = event.payload(AccountRegisteredV1)
        await self._store.remember_account(
            {
                "_id": account.account_id,
                "email": account.email,
                "email_normalized": account.email.strip().lower(),
                "full_name": account.full_name,
            }
        )

    # --- workspaces and members -----------------------------------------------------------

    async def my_workspaces(self, principal: Principal) -> list[Doc]:
        return await self._store.workspaces_of(principal.account_id)

    async def workspace_for(self, principal: Principal, workspace_id: str) -> tuple[Doc, str]:
        """The workspace and the caller's role in it; other tenants' workspaces do not exist."""
        workspace = await self._store.workspace(workspace_id)
        role = _role_of(workspace, principal.account_id) if workspace else None
        if workspace is None or role is None:
            raise WorkspaceNotFoundError
        return workspace, role

    async def _owned(self, principal: Principal, workspace_id: str) -> Doc:
        workspace, role = await self.workspace_for(principal, workspace_id)
        if role != MemberRole.OWNER:
            raise NotOwnerError
        return workspace

    async def members(self, principal: Principal, workspace_id: str) -> list[Doc]:
        workspace, _ = await self.workspace_for(principal, workspace_id)
        members: list[Doc] = workspace["members"]
        return members

    async def add_member(
        self, principal: Principal, workspace_id: str, *, email: str, role: MemberRole
    ) -> Doc:
        await self._owned(principal, workspace_id)
        account = await self._store.account_by_email(email.strip().lower())
        if account is None:
            raise UnknownAccountError
        now = utc_now()
        member = {
            "account_id": account["_id"],
            "email": account["email"],
            "full_name": account["full_name"],
            "role": role,
            "added_at": now,
        }
        event = self._event(
            WorkspaceMemberAddedV1(
                workspace_id=workspace_id,
                account_id=account["_id"],
                email=account["email"],
                role=role,
                added_at=now,
            )
        )
        if not await self._store.add_member(workspace_id, member, event):
            raise AlreadyMemberError
        self._notify_outbox(WORKSPACES, workspace_id)
        return member

    async def change_member_role(
        self, principal: Principal, workspace_id: str, account_id: str, *, role: MemberRole
    ) -> Doc:
        workspace = await self._owned(principal, workspace_id)
        self._check_changeable(workspace, account_id)
        event = self._event(
            WorkspaceMemberRoleChangedV1(
                workspace_id=workspace_id,
                account_id=account_id,
                role=role,
                changed_at=utc_now(),
            )
        )
        if not await self._store.change_member_role(workspace_id, account_id, role, event):
            raise MemberNotFoundError
        self._notify_outbox(WORKSPACES, workspace_id)
        members = await self.members(principal, workspace_id)
        return next(m for m in members if m["account_id"] == account_id)

    async def remove_member(self, principal: Principal, workspace_id: str, account_id: str) -> None:
        workspace = await self._owned(principal, workspace_id)
        self._check_changeable(workspace, account_id)
        event = self._event(
            WorkspaceMemberRemovedV1(
                workspace_id=workspace_id,
                account_id=account_id,
                removed_at=utc_now(),
            )
        )
        if not await self._store.remove_member(workspace_id, account_id, event):
            raise MemberNotFoundError
        self._notify_outbox(WORKSPACES, workspace_id)

    @staticmethod
    def _check_changeable(workspace: Doc, account_id: str) -> None:
        role = _role_of(workspace, account_id)
        if role is None:
            raise MemberNotFoundError
        if role == MemberRole.OWNER:
            raise OwnerIsFixedError


def _role_of(workspace: Doc, account_id: str) -> str | None:
    return next((m["role"] for m in workspace["members"] if m["account_id"] == account_id), None)


def form_changes(body: dict[str, Any]) -> dict[str, Any]:
    """The form fields a draft save sets (absent fields stay, null clears)."""
    return {name: body[name] for name in FORM_FIELDS if name in body}
