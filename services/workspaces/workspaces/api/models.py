"""Request and response models of the workspaces API."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, EmailStr, Field, ValidationInfo, field_validator

from workspaces.domain import (
    ApplicationStatus,
    DraftForm,
    DraftStep,
    MemberRole,
    WorkspaceStatus,
)

type Doc = dict[str, Any]


class DraftUpdate(DraftForm):
    """Any subset of the form; a field sent as null is cleared, an absent one is kept."""

    step: DraftStep | None = None


class DecisionRead(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str | None
    reviewed_at: datetime


class ApplicantRead(BaseModel):
    account_id: str
    email: str
    full_name: str


class ApplicationRead(BaseModel):
    id: str
    status: ApplicationStatus
    step: DraftStep | None
    role: str | None
    company_name: str | None
    website: str | None
    contact_number: str | None
    contact_email: str | None
    logo_url: str | None
    previous_application_id: str | None
    submitted_at: datetime | None
    expected_decision_by: datetime | None
    rejection_reason: str | None
    decision: DecisionRead | None
    workspace_id: str | None
    applicant: ApplicantRead | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, doc: Doc, *, logo_url: str | None) -> "ApplicationRead":
        form = doc.get("form", {})
        decision = doc.get("decision")
        applicant = doc.get("applicant")
        return cls(
            id=doc["_id"],
            status=doc["status"],
            step=doc.get("step"),
            role=form.get("role"),
            company_name=form.get("company_name"),
            website=form.get("website"),
            contact_number=form.get("contact_number"),
            contact_email=form.get("contact_email"),
            logo_url=logo_url if doc.get("logo_id") else None,
            previous_application_id=doc.get("previous_application_id"),
            submitted_at=doc.get("submitted_at"),
            expected_decision_by=doc.get("expected_decision_by"),
            rejection_reason=decision["reason"]
            if decision and decision["decision"] == "reject"
            else None,
            decision=DecisionRead(**{k: decision[k] for k in ("decision", "reason", "reviewed_at")})
            if decision
            else None,
            workspace_id=doc.get("workspace_id"),
            applicant=ApplicantRead(account_id=doc["account_id"], **applicant)
            if applicant
            else None,
            created_at=doc["created_at"],
            updated_at=doc["updated_at"],
        )


class ApplicationList(BaseModel):
    items: list[ApplicationRead]


class ApplicationPage(BaseModel):
    items: list[ApplicationRead]
    next_cursor: str | None


class ReviewQuery(BaseModel):
    status: Literal["under_review", "approved", "rejected"] = "under_review"
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class DecisionCreate(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=1000, validate_default=True)

    @field_validator("reason")
    @classmethod
    def _required_to_reject(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = value.strip() if value else None
        if info.data.get("decision") == "reject" and not value:
            raise ValueError("is required to reject (1 to 1000 characters)")
        return value


class WorkspaceRead(BaseModel):
    id: str
    name: str
    status: WorkspaceStatus
    my_role: MemberRole
    owner_account_id: str
    logo_url: str
    created_at: datetime


class WorkspaceList(BaseModel):
    items: list[WorkspaceRead]


class MemberRead(BaseModel):
    account_id: str
    email: str
    full_name: str
    role: MemberRole
    added_at: datetime


class MemberList(BaseModel):
    items: list[MemberRead]


class MemberCreate(BaseModel):
    email: EmailStr
    role: Literal["master", "developer"]


class MemberUpdate(BaseModel):
    role: Literal["master", "developer"]
