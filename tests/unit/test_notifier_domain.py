"""The notifier's domain without a database: the review mail an event makes, and each
transition of a notification, allowed and refused, with the change it produces."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from notifier.domain import (
    OUTCOME_UNKNOWN_STOPPED,
    Claimed,
    DataStarted,
    Failed,
    Mail,
    MalformedEventError,
    Notification,
    NotificationAlreadyResentError,
    NotificationNotClaimableError,
    NotificationNotFailedError,
    NotificationNotHeldError,
    NotificationNotResendableError,
    NotificationNotStaleError,
    NotificationStatus,
    Released,
    Resent,
    SendError,
    SendFailure,
    Sent,
    StaleFailed,
    mail_of,
    resend_id_of,
)
from notifier.kinds import KINDS, MAIL_EVENTS, REVIEW_REJECTED
from shared.contracts.workspaces import ApplicationReviewedV1
from shared.events import new_event

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
CLAIM = "claim-1"
CONTENT = {"full_name": "Ada 李", "company_name": "Analytical Engines", "reason": "incomplete"}
MAIL = Mail(
    notification_id="event-1",
    correlation_id="corr-1",
    kind=REVIEW_REJECTED,
    account_id="account-1",
    to="ada@example.com",
    about={"application_id": "application-1", "decision": "reject"},
    content=CONTENT,
)


def pending() -> Notification:
    return Notification.first(MAIL, now=NOW)


def sending(*, lease_until: datetime = NOW + LEASE, data_started: bool = False) -> Notification:
    return replace(
        pending(),
        status=NotificationStatus.SENDING,
        attempts=1,
        claim_id=CLAIM,
        lease_until=lease_until,
        data_started_at=NOW if data_started else None,
    )


def with_status(status: NotificationStatus) -> Notification:
    return replace(pending(), status=status, attempts=1)


# --- the mail of a review event -----------------------------------------------------------


def _review_event(**overrides: object) -> dict[str, object]:
    return {
        "application_id": "application-1",
        "account_id": "account-1",
        "email": "ada@example.com",
        "full_name": "Ada 李",
        "company_name": "Analytical Engines",
        "decision": "reject",
        "reason": "incomplete",
        "reviewed_at": NOW,
        "reviewer_id": "reviewer-1",
        **overrides,
    }


def test_a_review_event_becomes_a_mail_whose_message_id_is_the_events() -> None:
    event = new_event(
        ApplicationReviewedV1.model_validate(_review_event()),
        producer="workspaces",
        correlation_id="corr-1",
    )

    mail = mail_of(event)

    assert mail.notification_id == event.id
    assert mail.message_id == f"<{event.id}@notifier.mpp>"
    assert mail.correlation_id == "corr-1"
    assert mail.to == "ada@example.com"
    # No findings in this event: their lines are none (a rejection with findings lists them).
    assert mail.content == {**CONTENT, "findings_en": None, "findings_zh": None}
    assert mail.about == {"application_id": "application-1", "decision": "reject"}
    assert mail.template == "review_rejected"
    assert mail.subject.startswith("Your workspace application was not approved")


def test_an_event_without_an_email_is_malformed() -> None:
    event = new_event(
        ApplicationReviewedV1.model_validate(_review_event()),
        producer="workspaces",
        correlation_id="corr-1",
    )
    broken = event.model_copy(
        update={"data": {k: v for k, v in event.data.items() if k != "email"}}
    )

    with pytest.raises(MalformedEventError, match="email"):
        mail_of(broken)


def test_an_event_of_a_type_no_mail_is_registered_for_is_malformed() -> None:
    event = new_event(
        ApplicationReviewedV1.model_validate(_review_event()),
        producer="workspaces",
        correlation_id="corr-1",
    )

    with pytest.raises(MalformedEventError, match="no mail"):
        mail_of(event.model_copy(update={"type": "workspace.unknown.v1"}))


def test_every_registered_event_makes_a_kind_the_registry_knows_by_name() -> None:
    # A notification records its kind's name and is rendered again from it (a resend).
    assert ApplicationReviewedV1.TYPE in MAIL_EVENTS
    assert {"review_approved", "review_rejected"} <= set(KINDS)
    assert all(KINDS[name].name == name for name in KINDS)


def test_a_notification_of_a_kind_no_longer_sent_cannot_be_resent() -> None:
    failed = replace(with_status(NotificationStatus.FAILED), kind="retired_kind")

    with pytest.raises(NotificationNotResendableError):
        failed.resend(now=NOW, correlation_id="c")


# --- first sight and claim -----------------------------------------------------------------


def test_a_notification_is_first_recorded_pending_and_never_attempted() -> None:
    notification = pending()

    assert notification.id == "event-1"
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 0
    assert notification.created_at == notification.updated_at == NOW
    assert notification.content == CONTENT
    assert notification.mail() == MAIL  # what it recorded renders the same mail


def test_a_pending_notification_is_claimed_with_a_lease() -> None:
    assert pending().claim(claim_id=CLAIM, now=NOW, lease=LEASE) == Claimed(
        claim_id=CLAIM, lease_until=NOW + LEASE, at=NOW
    )


def test_a_send_abandoned_before_data_is_claimed_again_once_its_lease_ran_out() -> None:
    abandoned = sending(lease_until=NOW - timedelta(seconds=1))

    change = abandoned.claim(claim_id="claim-2", now=NOW, lease=LEASE)

    assert change == Claimed(claim_id="claim-2", lease_until=NOW + LEASE, at=NOW)


@pytest.mark.parametrize(
    "notification",
    [
        pytest.param(sending(), id="sending under a live lease"),
        pytest.param(
            sending(lease_until=NOW - timedelta(seconds=1), data_started=True),
            id="abandoned during DATA",
        ),
        pytest.param(with_status(NotificationStatus.SENT), id="sent"),
        pytest.param(with_status(NotificationStatus.FAILED), id="failed"),
    ],
)
def test_a_notification_is_not_claimed_when_it_may_be_or_has_been_sent(
    notification: Notification,
) -> None:
    assert not notification.claimable(now=NOW)
    with pytest.raises(NotificationNotClaimableError):
        notification.claim(claim_id="claim-2", now=NOW, lease=LEASE)


# --- settling a claim ----------------------------------------------------------------------


def test_the_claims_holder_marks_data_started_then_sent() -> None:
    claimed = sending()

    assert claimed.start_data(claim_id=CLAIM, now=NOW) == DataStarted(claim_id=CLAIM, at=NOW)
    assert claimed.sent(claim_id=CLAIM, now=NOW) == Sent(claim_id=CLAIM, at=NOW)


def test_the_claims_holder_fails_or_releases_it() -> None:
    claimed = sending()

    assert claimed.fail(claim_id=CLAIM, error="SMTP 550", now=NOW) == Failed(
        claim_id=CLAIM, error="SMTP 550", at=NOW
    )
    assert claimed.release(claim_id=CLAIM, error="SMTP 451", now=NOW) == Released(
        claim_id=CLAIM, error="SMTP 451", at=NOW
    )


@pytest.mark.parametrize(
    ("notification", "claim_id"),
    [
        pytest.param(sending(), "another-claim", id="another claim"),
        pytest.param(pending(), CLAIM, id="not sending"),
        pytest.param(with_status(NotificationStatus.SENT), CLAIM, id="sent"),
    ],
)
def test_only_the_claims_holder_settles_a_sending_notification(
    notification: Notification, claim_id: str
) -> None:
    with pytest.raises(NotificationNotHeldError):
        notification.start_data(claim_id=claim_id, now=NOW)
    with pytest.raises(NotificationNotHeldError):
        notification.sent(claim_id=claim_id, now=NOW)
    with pytest.raises(NotificationNotHeldError):
        notification.fail(claim_id=claim_id, error="x", now=NOW)
    with pytest.raises(NotificationNotHeldError):
        notification.release(claim_id=claim_id, error="x", now=NOW)


@pytest.mark.parametrize(
    ("failure", "attempts", "expected"),
    [
        (SendFailure.TEMPORARY, 1, Released(claim_id=CLAIM, error="SMTP 451: later", at=NOW)),
        (SendFailure.TEMPORARY, 2, Released(claim_id=CLAIM, error="SMTP 451: later", at=NOW)),
        (
            SendFailure.TEMPORARY,
            3,
            Failed(claim_id=CLAIM, error="gave up after 3 attempts: SMTP 451: later", at=NOW),
        ),
        (SendFailure.PERMANENT, 1, Failed(claim_id=CLAIM, error="SMTP 451: later", at=NOW)),
        (
            SendFailure.UNKNOWN,
            1,
            Failed(claim_id=CLAIM, error="outcome unknown: SMTP 451: later", at=NOW),
        ),
    ],
)
def test_a_send_error_releases_the_notification_until_the_attempts_run_out(
    failure: SendFailure, attempts: int, expected: Failed | Released
) -> None:
    claimed = replace(sending(), attempts=attempts)
    error = SendError(failure, "SMTP 451: later")

    assert claimed.after_send_error(error, claim_id=CLAIM, max_attempts=3, now=NOW) == expected


# --- a sender that stopped during DATA -----------------------------------------------------


def test_a_send_abandoned_during_data_is_failed_as_outcome_unknown() -> None:
    stale = sending(lease_until=NOW - timedelta(seconds=1), data_started=True)

    assert stale.fail_stale(now=NOW) == StaleFailed(error=OUTCOME_UNKNOWN_STOPPED, at=NOW)


@pytest.mark.parametrize(
    "notification",
    [
        pytest.param(sending(data_started=True), id="its sender's lease is alive"),
        pytest.param(sending(lease_until=NOW - timedelta(seconds=1)), id="DATA never began"),
        pytest.param(pending(), id="pending"),
        pytest.param(with_status(NotificationStatus.FAILED), id="failed"),
    ],
)
def test_only_a_send_abandoned_during_data_is_stale(notification: Notification) -> None:
    with pytest.raises(NotificationNotStaleError):
        notification.fail_stale(now=NOW)


# --- resending a failed notification -------------------------------------------------------


def test_a_failed_notification_is_resent_as_a_new_one_with_its_own_id_and_the_same_mail() -> None:
    failed = replace(with_status(NotificationStatus.FAILED), last_error="SMTP 550")
    later = NOW + timedelta(days=1)

    resent, again = failed.resend(now=later, correlation_id="admin-request")

    assert resent == Resent(resent_as=again.id, at=later)
    assert again.id == resend_id_of(failed.id) != failed.id
    assert uuid.UUID(again.id)
    assert again.resend_of == failed.id
    assert again.status == NotificationStatus.PENDING
    assert again.attempts == 0
    assert again.last_error is None
    assert again.created_at == again.updated_at == later
    assert again.correlation_id == "admin-request"
    mail = again.mail()
    assert mail.content == failed.content
    assert (mail.to, mail.kind, mail.account_id) == (
        "ada@example.com",
        REVIEW_REJECTED,
        "account-1",
    )
    assert mail.message_id == f"<{again.id}@notifier.mpp>" != failed.mail().message_id


def test_a_resend_is_resent_under_another_id_again() -> None:
    _, again = with_status(NotificationStatus.FAILED).resend(now=NOW, correlation_id="c")
    failed_again = replace(again, status=NotificationStatus.FAILED, attempts=1)

    _, third = failed_again.resend(now=NOW, correlation_id="c")

    assert len({third.id, again.id, MAIL.notification_id}) == 3
    assert third.resend_of == again.id


@pytest.mark.parametrize(
    "status", [NotificationStatus.SENT, NotificationStatus.PENDING, NotificationStatus.SENDING]
)
def test_only_a_failed_notification_is_resent(status: NotificationStatus) -> None:
    with pytest.raises(NotificationNotFailedError) as refused:
        with_status(status).resend(now=NOW, correlation_id="c")

    assert refused.value.status == status


def test_a_notification_is_resent_once() -> None:
    failed = replace(with_status(NotificationStatus.FAILED), resent_as="the-resend")

    with pytest.raises(NotificationAlreadyResentError) as refused:
        failed.resend(now=NOW, correlation_id="c")

    assert refused.value.resent_as == "the-resend"


def test_a_notification_recorded_without_its_content_cannot_be_resent() -> None:
    legacy = replace(with_status(NotificationStatus.FAILED), content=None)

    with pytest.raises(NotificationNotResendableError):
        legacy.resend(now=NOW, correlation_id="c")


def test_a_review_mail_recorded_before_mail_kinds_reads_as_its_kind_and_can_be_resent() -> None:
    from notifier.store import notification_of

    legacy = {
        "_id": "event-0",
        "account_id": "account-1",
        "email": "ada@example.com",
        "decision": "approve",
        "application_id": "application-0",
        "correlation_id": "corr-0",
        "status": "failed",
        "attempts": 1,
        "last_error": "SMTP 550",
        "created_at": NOW,
        "updated_at": NOW,
        "sent_at": None,
        "content": {"full_name": "Ada", "company_name": "Engines", "reason": None},
    }

    notification = notification_of(legacy)

    assert notification.kind == "review_approved"
    assert notification.about == {"application_id": "application-0", "decision": "approve"}
    _, again = notification.resend(now=NOW, correlation_id="c")
    assert again.mail().subject.startswith("Your workspace application is approved")
