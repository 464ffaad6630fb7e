"""The workspace application: a draft the applicant fills in, submits, and a reviewer decides."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    ApplicationWithdrawnV1,
)
from workspaces.domain.errors import (
    AlreadyApprovedError,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationUnderReviewError,
    ApplicationWithdrawnError,
    ClaimedByAnotherError,
    DraftAlreadyOpenError,
    NoDraftError,
    NotUnderReviewError,
    TakeOverForbiddenError,
)
from workspaces.domain.form import FormValues, complete_form, expected_decision_by
from workspaces.domain.review import Claim, ClaimReleased, ClaimTaken, Finding
from workspaces.domain.workspace import workspace_id_for


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the applicant, while under review


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
    reason: str | None  # the reason to reject; on an approval, the reviewer's note
    reviewer_id: str
    reviewed_at: datetime
    findings: tuple[Finding, ...] = ()  # a rejection's, field by field


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


@dataclass(frozen=True)
class ApplicationWithdrawn:
    withdrawn_at: datetime
    updated_at: datetime


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
    withdrawn_at: datetime | None = None
    claim: Claim | None = None  # a reviewer's, possibly expired
    # The findings of the rejection this application answers, and what each flagged field
    # held then (the logo by its id), to tell which flagged fields changed since.
    previous_findings: tuple[Finding, ...] = ()
    flagged_values: Mapping[str, str | None] = field(default_factory=dict)

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
        findings, flagged = previous._findings_to_answer() if previous else ((), {})
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
            previous_findings=findings,
            flagged_values=flagged,
        )

    def _findings_to_answer(self) -> tuple[tuple[Finding, ...], dict[str, str | None]]:
        """What the next draft answers: this rejection's findings; after a withdrawal, those
        the withdrawn application answered."""
        if self.status == ApplicationStatus.WITHDRAWN:
            return self.previous_findings, dict(self.flagged_values)
        findings = self.decision.findings if self.decision else ()
        return findings, {f.field: self.value_of(f.field) for f in findings}

    def value_of(self, name: str) -> str | None:
        """A field's value as a finding sees it (the logo by its id)."""
        return self.logo_id if name == "logo" else self.form.get(name)

    @property
    def changed_since_rejection(self) -> list[str]:
        """The flagged fields whose value is not what the rejected application held."""
        return sorted(n for n, held in self.flagged_values.items() if self.value_of(n) != held)

    def _refuse_another(self) -> None:
        if self.status == ApplicationStatus.DRAFT:
            raise DraftAlreadyOpenError
        if self.status == ApplicationStatus.UNDER_REVIEW:
            raise ApplicationUnderReviewError
        if self.status == ApplicationStatus.APPROVED:
            raise AlreadyApprovedError

    def _refuse_unless_draft(self) -> None:
        if self.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
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

    def _refuse_unless_under_review(self) -> None:
        if not self.visible_for_review:
            raise ApplicationNotFoundError
        if self.status == ApplicationStatus.WITHDRAWN:
            raise ApplicationWithdrawnError
        if self.status != ApplicationStatus.UNDER_REVIEW:
            raise ApplicationAlreadyDecidedError

    def decide(
        self,
        *,
        decision: Decision,
        reason: str | None,
        findings: tuple[Finding, ...] = (),
        reviewer_id: str,
        now: datetime,
    ) -> tuple[ApplicationDecided, ApplicationReviewedV1]:
        """The reviewer's decision on an application under review; only one ever counts
        (nor one of a reviewer while another's claim on it is active)."""
        self._refuse_unless_under_review()
        self._refuse_claimed_by_another(reviewer_id, now)
        assert self.applicant is not None, "a submitted application names its applicant"
        approved = decision == "approve"
        decided = ApplicationDecided(
            status=ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED,
            decision=ReviewDecision(
                decision=decision,
                reason=reason,
                reviewer_id=reviewer_id,
                reviewed_at=now,
                findings=findings,
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
            findings=tuple(f.contract() for f in findings),
        )
        return decided, event

    def withdraw(self, *, now: datetime) -> tuple[ApplicationWithdrawn, ApplicationWithdrawnV1]:
        """The applicant takes back the application under review (before any decision)."""
        if self.status == ApplicationStatus.DRAFT:
            raise NotUnderReviewError
        self._refuse_unless_under_review()
        assert self.submitted_at is not None, "an application under review was submitted"
        event = ApplicationWithdrawnV1(
            application_id=self.id,
            account_id=self.account_id,
            company_name=str(self.form["company_name"]),
            submitted_at=self.submitted_at,
            withdrawn_at=now,
        )
        return ApplicationWithdrawn(withdrawn_at=now, updated_at=now), event

    # --- claims ---------------------------------------------------------------------------

    def active_claim(self, now: datetime) -> Claim | None:
        return self.claim if self.claim is not None and self.claim.active(now) else None

    def _refuse_claimed_by_another(self, reviewer_id: str, now: datetime) -> None:
        held = self.active_claim(now)
        if held is not None and held.reviewer_id != reviewer_id:
            raise ClaimedByAnotherError(held.reviewer_id, held.expires_at)

    def claim_for(
        self, reviewer_id: str, *, now: datetime, ttl: timedelta, take_over: bool = False
    ) -> ClaimTaken:
        """The reviewer claims the application (again: extended) for `ttl`. Another's
        active claim refuses it, unless an admin takes it over (`take_over`)."""
        self._refuse_unless_under_review()
        held = self.active_claim(now)
        taken_from = held.reviewer_id if held and held.reviewer_id != reviewer_id else None
        if taken_from is not None and not take_over:
            self._refuse_claimed_by_another(reviewer_id, now)
        return ClaimTaken(
            claim=Claim(reviewer_id=reviewer_id, claimed_at=now, expires_at=now + ttl),
            taken_from=taken_from,
        )

    def release_claim(
        self, reviewer_id: str, *, now: datetime, take_over: bool = False
    ) -> ClaimReleased | None:
        """The claim goes (None: there is no active one to release). Only its holder
        releases it, or an admin (`take_over`)."""
        held = self.active_claim(now)
        if held is None:
            return None
        if held.reviewer_id != reviewer_id and not take_over:
            raise ClaimedByAnotherError(held.reviewer_id, held.expires_at)
        return ClaimReleased(reviewer_id=held.reviewer_id)

    @property
    def rejection_reason(self) -> str | None:
        if self.decision is None or self.decision.decision != "reject":
            return None
        return self.decision.reason


def check_take_over(*, requested: bool, admin: bool) -> bool:
    """A take-over of another's claim is an admin's (TakeOverForbiddenError otherwise)."""
    if requested and not admin:
        raise TakeOverForbiddenError
    return requested
