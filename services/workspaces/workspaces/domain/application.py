"""The workspace application: a draft the applicant fills in, submits, and a reviewer decides."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from shared.contracts.workspaces import ApplicationReviewedV1, ApplicationSubmittedV1
from workspaces.domain.errors import (
    AlreadyApprovedError,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationUnderReviewError,
    DraftAlreadyOpenError,
    NoDraftError,
)
from workspaces.domain.form import FormValues, complete_form, expected_decision_by
from workspaces.domain.workspace import workspace_id_for


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"


class DraftStep(StrEnum):
    """Where the applicant is in the form, so a later visit resumes there (or goes back)."""

    ROLE = "role"
    BUSINESS_DETAILS = "business_details"
    REVIEW = "review"


type Decision = Literal["approve", "reject"]


@dataclass(frozen=True)
class Applicant:
    """Who applies, as the reviewer and the notification mail see them."""

    email: str
    full_name: str

    @classmethod
    def from_token(cls, email: str) -> "Applicant":
        """An account the directory does not know yet: its token's email names it."""
        return cls(email=email, full_name=email.split("@")[0])


@dataclass(frozen=True)
class ReviewDecision:
    decision: Decision
    reason: str | None
    reviewer_id: str
    reviewed_at: datetime


# --- what a transition changes ----------------------------------------------------------


@dataclass(frozen=True)
class DraftSaved:
    form: FormValues  # only the fields saved; the others stay as they are
    step: DraftStep | None  # None: the step stays
    updated_at: datetime


@dataclass(frozen=True)
class DraftLogoSet:
    logo_id: str | None  # None: the logo is removed
    updated_at: datetime


@dataclass(frozen=True)
class ApplicationSubmitted:
    form: FormValues  # the whole form, validated
    applicant: Applicant
    submitted_at: datetime
    expected_decision_by: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ApplicationDecided:
    status: ApplicationStatus
    decision: ReviewDecision
    workspace_id: str | None  # the workspace an approval provisions
    updated_at: datetime

    @property
    def reopens(self) -> bool:
        """A rejection leaves the account free to apply again."""
        return self.status == ApplicationStatus.REJECTED


# --- the application --------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    id: str
    account_id: str
    status: ApplicationStatus
    step: DraftStep | None
    form: FormValues
    logo_id: str | None
    previous_application_id: str | None
    created_at: datetime
    updated_at: datetime
    applicant: Applicant | None = None
    submitted_at: datetime | None = None
    expected_decision_by: datetime | None = None
    decision: ReviewDecision | None = None
    workspace_id: str | None = None
    # The background of the default logo, picked when the first draft starts and kept, so
    # the preview the applicant sees is the logo the workspace gets (None: older documents).
    logo_color: str | None = None

    @classmethod
    def new_draft(
        cls,
        *,
        account_id: str,
        previous: "Application | None",
        logo_color: str,
        now: datetime,
    ) -> "Application":
        """A new draft of the account whose latest application is `previous`: none while one
        is open (a draft, under review) or once one is approved. After a rejection the
        applicant starts from what they sent, not from scratch."""
        if previous is not None:
            previous._refuse_another()
        return cls(
            id=str(uuid.uuid4()),
            account_id=account_id,
            status=ApplicationStatus.DRAFT,
            step=DraftStep.ROLE,
            form=dict(previous.form) if previous else {},
            logo_id=previous.logo_id if previous else None,
            previous_application_id=previous.id if previous else None,
            created_at=now,
            updated_at=now,
            logo_color=(previous.logo_color if previous else None) or logo_color,
        )

    def _refuse_another(self) -> None:
        if self.status == ApplicationStatus.DRAFT:
            raise DraftAlreadyOpenError
        if self.status == ApplicationStatus.UNDER_REVIEW:
            raise ApplicationUnderReviewError
        if self.status == ApplicationStatus.APPROVED:
            raise AlreadyApprovedError

    def _refuse_unless_draft(self) -> None:
        if self.status == ApplicationStatus.REJECTED:
            raise NoDraftError
        if self.status != ApplicationStatus.DRAFT:
            self._refuse_another()

    def save_draft(
        self, changes: FormValues, *, step: DraftStep | None, now: datetime
    ) -> DraftSaved:
        """Form fields (each validated by the caller) saved into the draft."""
        self._refuse_unless_draft()
        return DraftSaved(form=dict(changes), step=step, updated_at=now)

    def set_logo(self, logo_id: str | None, *, now: datetime) -> DraftLogoSet:
        self._refuse_unless_draft()
        return DraftLogoSet(logo_id=logo_id, updated_at=now)

    def submit(
        self, *, applicant: Applicant, now: datetime
    ) -> tuple[ApplicationSubmitted, ApplicationSubmittedV1]:
        """The draft, complete, goes to review (IncompleteApplicationError otherwise)."""
        if self.status != ApplicationStatus.DRAFT:
            raise NoDraftError
        form = complete_form(self.form)
        decide_by = expected_decision_by(now)
        submitted = ApplicationSubmitted(
            form=form,
            applicant=applicant,
            submitted_at=now,
            expected_decision_by=decide_by,
            updated_at=now,
        )
        event = ApplicationSubmittedV1(
            application_id=self.id,
            account_id=self.account_id,
            email=applicant.email,
            full_name=applicant.full_name,
            company_name=str(form["company_name"]),
            submitted_at=now,
            expected_decision_by=decide_by,
            previous_application_id=self.previous_application_id,
        )
        return submitted, event

    @property
    def visible_for_review(self) -> bool:
        """Reviewers see an application once it is submitted."""
        return self.status != ApplicationStatus.DRAFT

    def decide(
        self, *, decision: Decision, reason: str | None, reviewer_id: str, now: datetime
    ) -> tuple[ApplicationDecided, ApplicationReviewedV1]:
        """The reviewer's decision on an application under review; only one ever counts."""
        if not self.visible_for_review:
            raise ApplicationNotFoundError
        if self.status != ApplicationStatus.UNDER_REVIEW:
            raise ApplicationAlreadyDecidedError
        assert self.applicant is not None, "a submitted application names its applicant"
        approved = decision == "approve"
        decided = ApplicationDecided(
            status=ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED,
            decision=ReviewDecision(
                decision=decision, reason=reason, reviewer_id=reviewer_id, reviewed_at=now
            ),
            workspace_id=workspace_id_for(self.id) if approved else None,
            updated_at=now,
        )
        event = ApplicationReviewedV1(
            application_id=self.id,
            account_id=self.account_id,
            email=self.applicant.email,
            full_name=self.applicant.full_name,
            company_name=str(self.form["company_name"]),
            decision=decision,
            reason=reason,
            reviewed_at=now,
            reviewer_id=reviewer_id,
        )
        return decided, event

    @property
    def rejection_reason(self) -> str | None:
        if self.decision is None or self.decision.decision != "reject":
            return None
        return self.decision.reason
