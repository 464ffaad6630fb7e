"""Events the workspaces service publishes."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.events import EventPayload

type Decision = Literal["approve", "reject"]
type MemberRole = Literal["owner", "master", "developer"]


class ApplicationSubmittedV1(EventPayload):
    TYPE = "workspace.application.submitted.v1"

    application_id: str
    account_id: str
    email: str
    full_name: str
    company_name: str
    submitted_at: datetime
    expected_decision_by: datetime
    previous_application_id: str | None = None


class ReviewFindingV1(BaseModel):
    """One thing a rejection found wrong with a field, with its catalogue texts (`zh-CN`,
    `en`) so consumers need no copy of the catalogue."""

    model_config = ConfigDict(frozen=True)

    field: str
    code: str
    message: str | None = None  # the reviewer's own words, beside the catalogue's
    texts: dict[str, str]


class ApplicationReviewedV1(EventPayload):
    """Everything the notifier needs to tell the applicant the result. `findings` came
    later (older events lack it): what a rejection found, field by field."""

    TYPE = "workspace.application.reviewed.v1"

    application_id: str
    account_id: str
    email: str
    full_name: str
    company_name: str
    decision: Decision
    reason: str | None = None
    reviewed_at: datetime
    reviewer_id: str
    findings: tuple[ReviewFindingV1, ...] = ()


class ApplicationWithdrawnV1(EventPayload):
    """The applicant took back an application under review: it left the queue, and the
    account may start a new draft (prefilled from it)."""

    TYPE = "workspace.application.withdrawn.v1"

    application_id: str
    account_id: str
    company_name: str
    submitted_at: datetime
    withdrawn_at: datetime


class WorkspaceCreatedV1(EventPayload):
    TYPE = "workspace.created.v1"

    workspace_id: str
    name: str
    owner_account_id: str
    owner_email: str
    application_id: str
    created_at: datetime


class WorkspaceMemberAddedV1(EventPayload):
    """A member joined: added by the owner, or by accepting an invitation (`invitation_id`).
    The optional fields came later; older events lack them."""

    TYPE = "workspace.member.added.v1"

    workspace_id: str
    account_id: str
    email: str
    role: MemberRole
    added_at: datetime
    added_by: str | None = None  # the owner who added them; the member who accepted
    invitation_id: str | None = None
    full_name: str | None = None


class WorkspaceMemberRemovedV1(EventPayload):
    TYPE = "workspace.member.removed.v1"

    workspace_id: str
    account_id: str
    removed_at: datetime
    removed_by: str | None = None
    email: str | None = None
    role: MemberRole | None = None  # the role they had


class WorkspaceMemberRoleChangedV1(EventPayload):
    TYPE = "workspace.member.role_changed.v1"

    workspace_id: str
    account_id: str
    role: MemberRole
    changed_at: datetime
    changed_by: str | None = None
    previous_role: MemberRole | None = None
    email: str | None = None


class InvitationCreatedV1(EventPayload):
    """An invitation to join a workspace was sent, or sent again (`resent`, with a new token
    and expiry): the notifier mails it. The token travels sealed (shared.sealing): only the
    notifier opens it, to put the accept link in the mail."""

    TYPE = "workspace.invitation.created.v1"

    invitation_id: str
    workspace_id: str
    workspace_name: str
    email: str
    role: MemberRole
    invited_by: str
    inviter_name: str
    sealed_token: str
    expires_at: datetime
    created_at: datetime
    resent: bool = False


class InvitationRevokedV1(EventPayload):
    TYPE = "workspace.invitation.revoked.v1"

    invitation_id: str
    workspace_id: str
    email: str
    role: MemberRole
    revoked_by: str
    revoked_at: datetime
