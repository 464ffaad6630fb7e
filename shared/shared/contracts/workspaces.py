"""Events the workspaces service publishes."""

from datetime import datetime
from typing import Literal

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


class ApplicationReviewedV1(EventPayload):
    """Everything the notifier needs to tell the applicant the result."""

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


class WorkspaceCreatedV1(EventPayload):
    TYPE = "workspace.created.v1"

    workspace_id: str
    name: str
    owner_account_id: str
    owner_email: str
    application_id: str
    created_at: datetime


class WorkspaceMemberAddedV1(EventPayload):
    TYPE = "workspace.member.added.v1"

    workspace_id: str
    account_id: str
    email: str
    role: MemberRole
    added_at: datetime


class WorkspaceMemberRemovedV1(EventPayload):
    TYPE = "workspace.member.removed.v1"

    workspace_id: str
    account_id: str
    removed_at: datetime


class WorkspaceMemberRoleChangedV1(EventPayload):
    TYPE = "workspace.member.role_changed.v1"

    workspace_id: str
    account_id: str
    role: MemberRole
    changed_at: datetime
