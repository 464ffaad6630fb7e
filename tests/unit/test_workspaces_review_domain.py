"""The review workflow's rules without I/O: findings carried into the next draft and what
changed since, withdrawal, claims that expire, and decisions against a claim."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from shared.contracts.workspaces import ApplicationWithdrawnV1
from workspaces.domain import (
    Applicant,
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationStatus,
    ApplicationWithdrawnError,
    ClaimedByAnotherError,
    Finding,
    NotUnderReviewError,
    TakeOverForbiddenError,
    check_take_over,
)

NOW = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
TTL = timedelta(minutes=30)
FORM = {"role": "technical_merchant", "company_name": "Acme Apps", "website": "https://a.example"}
FINDINGS = (
    Finding("company_name", "company_name.mismatch", "The licence says Acme Ltd"),
    Finding("website", "website.unreachable"),
    Finding("logo", "logo.unclear"),
)


def _under_review(**fields: object) -> Application:
    draft = Application.new_draft(account_id="acc-1", previous=None, logo_color="#1677FF", now=NOW)
    change, _ = replace(draft, form=FORM).submit(
        applicant=Applicant("ada@acme.example", "Ada"), now=NOW
    )
    values: dict[str, object] = {
        "status": ApplicationStatus.UNDER_REVIEW,
        "form": change.form,
        "applicant": change.applicant,
        "submitted_at": NOW,
        "logo_id": "logo-1",
    }
    return replace(draft, **{**values, **fields})  # type: ignore[arg-type]


def _rejected() -> Application:
    application = _under_review()
    change, _ = application.decide(
        decision="reject", reason="see findings", findings=FINDINGS, reviewer_id="rev-1", now=NOW
    )
    return replace(application, status=change.status, decision=change.decision)


def test_a_rejection_carries_its_findings_with_both_languages_in_its_event() -> None:
    _, event = _under_review().decide(
        decision="reject", reason="see findings", findings=FINDINGS, reviewer_id="rev-1", now=NOW
    )
    assert [(f.field, f.code, f.message) for f in event.findings] == [
        ("company_name", "company_name.mismatch", "The licence says Acme Ltd"),
        ("website", "website.unreachable", None),
        ("logo", "logo.unclear", None),
    ]
    assert event.findings[1].texts == {
        "zh-CN": "网站无法访问",
        "en": "The website cannot be reached",
    }


def test_the_next_draft_carries_the_findings_and_tells_which_flagged_fields_changed() -> None:
    draft = Application.new_draft(
        account_id="acc-1", previous=_rejected(), logo_color="#000000", now=NOW
    )
    assert draft.previous_findings == FINDINGS
    assert draft.changed_since_rejection == []

    edited = replace(
        draft,
        form={**draft.form, "company_name": "Acme Ltd", "contact_email": "x@acme.example"},
        logo_id="logo-2",
    )
    # contact_email changed too, but no finding flagged it.
    assert edited.changed_since_rejection == ["company_name", "logo"]


def test_a_withdrawal_takes_an_application_under_review_back_with_its_event() -> None:
    application = _under_review()
    later = NOW + timedelta(hours=1)
    change, event = application.withdraw(now=later)
    assert change.withdrawn_at == later
    assert event == ApplicationWithdrawnV1(
        application_id=application.id,
        account_id="acc-1",
        company_name="Acme Apps",
        submitted_at=NOW,
        withdrawn_at=later,
    )


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (ApplicationStatus.DRAFT, NotUnderReviewError),
        (ApplicationStatus.APPROVED, ApplicationAlreadyDecidedError),
        (ApplicationStatus.REJECTED, ApplicationAlreadyDecidedError),
        (ApplicationStatus.WITHDRAWN, ApplicationWithdrawnError),
    ],
)
def test_only_an_application_under_review_is_withdrawn(
    status: ApplicationStatus, error: type[Exception]
) -> None:
    with pytest.raises(error):
        _under_review(status=status).withdraw(now=NOW)


def test_a_withdrawn_application_is_not_decided() -> None:
    with pytest.raises(ApplicationWithdrawnError):
        _under_review(status=ApplicationStatus.WITHDRAWN).decide(
            decision="approve", reason=None, reviewer_id="rev-1", now=NOW
        )


def test_after_a_withdrawal_the_next_draft_starts_from_it_and_keeps_the_earlier_findings() -> None:
    answering = Application.new_draft(
        account_id="acc-1", previous=_rejected(), logo_color="#000000", now=NOW
    )
    withdrawn = replace(answering, status=ApplicationStatus.WITHDRAWN, form={**FORM, "x": "1"})
    draft = Application.new_draft(
        account_id="acc-1", previous=withdrawn, logo_color="#000000", now=NOW
    )
    assert draft.previous_application_id == withdrawn.id
    assert draft.form == withdrawn.form
    assert draft.previous_findings == FINDINGS
    assert draft.flagged_values == answering.flagged_values


def test_a_claim_is_the_reviewers_until_it_expires() -> None:
    taken = _under_review().claim_for("rev-1", now=NOW, ttl=TTL)
    claimed = _under_review(claim=taken.claim)
    assert taken.claim.expires_at == NOW + TTL

    with pytest.raises(ClaimedByAnotherError) as refused:
        claimed.claim_for("rev-2", now=NOW + TTL - timedelta(seconds=1), ttl=TTL)
    assert refused.value.reviewer_id == "rev-1"
    again = claimed.claim_for("rev-1", now=NOW + timedelta(minutes=10), ttl=TTL)
    assert again.claim.expires_at == NOW + timedelta(minutes=40)  # extended
    after_expiry = claimed.claim_for("rev-2", now=NOW + TTL, ttl=TTL)
    assert after_expiry.claim.reviewer_id == "rev-2"
    assert after_expiry.taken_from is None  # the expired claim is nobody's


def test_an_admin_takes_over_an_active_claim() -> None:
    claimed = _under_review(claim=_under_review().claim_for("rev-1", now=NOW, ttl=TTL).claim)
    taken = claimed.claim_for("admin-1", now=NOW, ttl=TTL, take_over=True)
    assert (taken.claim.reviewer_id, taken.taken_from) == ("admin-1", "rev-1")
    with pytest.raises(TakeOverForbiddenError):
        check_take_over(requested=True, admin=False)
    assert check_take_over(requested=True, admin=True) is True


def test_another_reviewers_active_claim_refuses_a_decision_until_it_expires() -> None:
    claimed = _under_review(claim=_under_review().claim_for("rev-1", now=NOW, ttl=TTL).claim)
    with pytest.raises(ClaimedByAnotherError):
        claimed.decide(decision="approve", reason=None, reviewer_id="rev-2", now=NOW)
    claimed.decide(decision="approve", reason="ok", reviewer_id="rev-1", now=NOW)
    claimed.decide(decision="approve", reason=None, reviewer_id="rev-2", now=NOW + TTL)


def test_only_the_holder_releases_a_claim_or_an_admin() -> None:
    claimed = _under_review(claim=_under_review().claim_for("rev-1", now=NOW, ttl=TTL).claim)
    with pytest.raises(ClaimedByAnotherError):
        claimed.release_claim("rev-2", now=NOW)
    released = claimed.release_claim("rev-1", now=NOW)
    assert released is not None
    assert released.reviewer_id == "rev-1"
    taken_back = claimed.release_claim("admin-1", now=NOW, take_over=True)
    assert taken_back is not None
    assert taken_back.reviewer_id == "rev-1"
    assert claimed.release_claim("rev-2", now=NOW + TTL) is None  # expired: nothing to release
