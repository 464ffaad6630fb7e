"""Request and response models of the workspaces API."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.config import JsonDict

from shared.field_errors import Email
from shared.openapi import with_examples
from workspaces.api import examples
from workspaces.api.review_models import ClaimRead, FindingCreate, FindingRead, PreviousFindingRead
from workspaces.domain import (
    Application,
    ApplicationStatus,
    DraftForm,
    DraftStep,
    Member,
    MemberRole,
    ReviewDecision,
    Workspace,
    WorkspaceStatus,
)
from workspaces.field_codes import FINDINGS_ONLY_ON_REJECT, REASON_REQUIRED

# An email this service holds came validated (a signup, an invitation): the answers say so.
_EMAIL: JsonDict = {"type": "string", "format": "email"}


class DraftUpdate(DraftForm):
    """Any subset of the form; a field sent as null is cleared, an absent one is kept."""

    model_config = with_examples(*examples.DRAFT_UPDATES)
    step: DraftStep | None = None


class DecisionRead(BaseModel):
    model_config = with_examples(examples.DECISION)

    decision: Literal["approve", "reject"]
    reason: str | None = Field(description="Why it was rejected; on an approval, a note")
    reviewed_at: datetime
    findings: list[FindingRead] = Field(
        default_factory=list, description="What a rejection found, field by field"
    )
    reviewer_id: str | None = Field(
        default=None, description="Who decided (reviewers' views only; null elsewhere)"
    )

    @classmethod
    def of(cls, decision: ReviewDecision) -> "DecisionRead":
        return cls(
            decision=decision.decision,
            reason=decision.reason,
            reviewed_at=decision.reviewed_at,
            findings=[FindingRead.of(f) for f in decision.findings],
        )


class ApplicantRead(BaseModel):
    account_id: str
    email: str = Field(json_schema_extra=_EMAIL)
    full_name: str
    email_verified: bool | None = Field(
        default=None,
        description="Whether the applicant proved the email by its link (reviewers' views "
        "only; null elsewhere)",
    )


class ApplicationRead(BaseModel):
    model_config = with_examples(examples.APPLICATION)

    id: str
    status: ApplicationStatus
    step: DraftStep | None
    role: str | None
    company_name: str | None
    website: str | None
    contact_number: str | None
    contact_email: str | None = Field(json_schema_extra={"anyOf": [_EMAIL, {"type": "null"}]})
    logo_url: str | None
    logo_color: str | None = Field(
        description="Background of the default logo (the name's initial on it) when none "
        "is uploaded; the workspace keeps it"
    )
    previous_application_id: str | None
    submitted_at: datetime | None
    expected_decision_by: datetime | None
    rejection_reason: str | None
    decision: DecisionRead | None
    workspace_id: str | None
    applicant: ApplicantRead | None
    created_at: datetime
    updated_at: datetime
    queue_position: int | None = Field(
        default=None,
        ge=1,
        description="Under review: its place in the review queue (1: next), else null",
    )
    withdrawn_at: datetime | None = None
    previous_findings: list[PreviousFindingRead] = Field(
        default_factory=list,
        description="The findings of the rejection this application answers, each saying "
        "whether its field changed since",
    )
    changed_since_rejection: list[str] = Field(
        default_factory=list,
        description="The fields the rejection flagged whose value changed since",
    )
    claim: ClaimRead | None = Field(
        default=None, description="A reviewer's active claim (reviewers' views only)"
    )

    @classmethod
    def of(
        cls,
        application: Application,
        *,
        logo_url: str | None,
        queue_position: int | None = None,
    ) -> "ApplicationRead":
        form = application.form
        decision = application.decision
        applicant = application.applicant
        changed = application.changed_since_rejection
        return cls(
            id=application.id,
            status=application.status,
            step=application.step,
            role=form.get("role"),
            company_name=form.get("company_name"),
            website=form.get("website"),
            contact_number=form.get("contact_number"),
            contact_email=form.get("contact_email"),
            logo_url=logo_url if application.logo_id else None,
            logo_color=application.logo_color,
            previous_application_id=application.previous_application_id,
            submitted_at=application.submitted_at,
            expected_decision_by=application.expected_decision_by,
            rejection_reason=application.rejection_reason,
            decision=DecisionRead.of(decision) if decision else None,
            workspace_id=application.workspace_id,
            applicant=ApplicantRead(
                account_id=application.account_id,
                email=applicant.email,
                full_name=applicant.full_name,
            )
            if applicant
            else None,
            created_at=application.created_at,
            updated_at=application.updated_at,
            queue_position=queue_position,
            withdrawn_at=application.withdrawn_at,
            previous_findings=[
                PreviousFindingRead(**FindingRead.of(f).model_dump(), changed=f.field in changed)
                for f in application.previous_findings
            ],
            changed_since_rejection=changed,
        )


class ApplicationList(BaseModel):
    model_config = with_examples(examples.APPLICATIONS)

    items: list[ApplicationRead]


class ApplicationPage(BaseModel):
    model_config = with_examples(examples.REVIEW_PAGE)

    items: list[ApplicationRead]
    next_cursor: str | None


class DecisionCreate(BaseModel):
    # The reason is required to reject: stated for clients as JSON Schema says it (a reason
    # of spaces only is refused too, which no schema keyword says simply).
    model_config = ConfigDict(
        json_schema_extra={
            "examples": examples.DECISIONS,
            "if": {"properties": {"decision": {"const": "reject"}}},
            "then": {
                "required": ["reason"],
                "properties": {"reason": {"type": "string", "minLength": 1}},
            },
        }
    )

    decision: Literal["approve", "reject"]
    reason: str | None = Field(
        default=None,
        max_length=1000,
        validate_default=True,
        description="Required to reject; on an approval, a note for the applicant",
    )
    findings: list[FindingCreate] = Field(
        default_factory=list,
        max_length=20,
        description="A rejection's findings: codes of GET /v1/review/reason-codes on fields",
    )

    @field_validator("findings")
    @classmethod
    def _findings_reject(cls, value: list[FindingCreate], info: ValidationInfo) -> list[Any]:
        if value and info.data.get("decision") != "reject":
            raise FINDINGS_ONLY_ON_REJECT.refusal()
        return value

    @field_validator("reason")
    @classmethod
    def _required_to_reject(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = value.strip() if value else None
        if info.data.get("decision") == "reject" and not value:
            raise REASON_REQUIRED.refusal(max=1000)
        return value


class WorkspaceRead(BaseModel):
    model_config = with_examples(examples.WORKSPACE)

    id: str
    name: str
    status: WorkspaceStatus
    my_role: MemberRole
    owner_account_id: str
    logo_url: str
    created_at: datetime

    @classmethod
    def of(cls, workspace: Workspace, *, my_role: MemberRole) -> "WorkspaceRead":
        return cls(
            id=workspace.id,
            name=workspace.name,
            status=workspace.status,
            my_role=my_role,
            owner_account_id=workspace.owner_account_id,
            logo_url=f"/v1/workspaces/{workspace.id}/logo",
            created_at=workspace.created_at,
        )


class WorkspaceList(BaseModel):
    model_config = with_examples(examples.WORKSPACES)

    items: list[WorkspaceRead]


class MemberRead(BaseModel):
    model_config = with_examples(examples.MEMBER)

    account_id: str
    email: str = Field(json_schema_extra=_EMAIL)
    full_name: str
    role: MemberRole
    added_at: datetime

    @classmethod
    def of(cls, member: Member) -> "MemberRead":
        return cls(
            account_id=member.account_id,
            email=member.email,
            full_name=member.full_name,
            role=member.role,
            added_at=member.added_at,
        )


class MemberList(BaseModel):
    model_config = with_examples(examples.MEMBERS)

    items: list[MemberRead]


class MemberCreate(BaseModel):
    model_config = with_examples(examples.MEMBER_CREATE)

    email: Email = Field(description="The email of an account that signed up")
    role: Literal["master", "developer"]


class MemberUpdate(BaseModel):
    model_config = with_examples(examples.MEMBER_UPDATE)

    role: Literal["master", "developer"]
