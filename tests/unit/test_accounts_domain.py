"""Accounts' typed domain without a database: every transition, allowed and refused, with the
change and the event it produces."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from accounts.domain import (
    Account,
    ApplicationStepLearned,
    Client,
    InvalidRefreshTokenError,
    LoginWindow,
    Membership,
    MembershipLearned,
    NextStep,
    OutdatedNextStepError,
    PasswordRehashed,
    RefreshSession,
    RefreshSessionRevokedError,
    RefreshTokenExpiredError,
    RefreshTokenReusedError,
    RevocationReason,
    Role,
    RolesGranted,
    SessionRevoked,
    SessionRotated,
    SessionStatus,
    Terms,
    TooManyAttemptsError,
)
from shared.contracts.accounts import AccountRegisteredV1

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TTL = timedelta(days=30)
CLIENT = Client(address="203.0.113.7", user_agent="Firefox")


def _account(**changes: object) -> Account:
    account, _ = Account.register(
        account_id="acc-1",
        email="Ada@Example.com",
        full_name="Ada Lovelace",
        password_hash="$argon2id$old",
        roles=[Role.MERCHANT],
        terms_version="2026-11-01",
        now=NOW,
    )
    return replace(account, **changes)


def _session(**changes: object) -> RefreshSession:
    session = RefreshSession.start(
        session_id="s-1",
        account_id="acc-1",
        token_hash="h1",
        client=CLIENT,
        now=NOW,
        ttl=TTL,
    )
    return replace(session, **changes)


# --- accounts ------------------------------------------------------------------------------


def test_registering_makes_an_account_that_accepted_the_terms_now_and_announces_it() -> None:
    account, event = Account.register(
        account_id="acc-1",
        email="  Ada@Example.com ",
        full_name="Ada Lovelace",
        password_hash="$argon2id$hash",
        roles=[Role.MERCHANT, Role.MERCHANT],
        terms_version="2026-11-01",
        now=NOW,
    )

    assert account == Account(
        id="acc-1",
        email="Ada@Example.com",
        full_name="Ada Lovelace",
        password_hash="$argon2id$hash",
        roles=(Role.MERCHANT,),
        terms=Terms(version="2026-11-01", accepted_at=NOW),
        created_at=NOW,
        application_step=NextStep.APPLY_WORKSPACE,
        application_step_at=None,
    )
    assert account.email_normalized == "ada@example.com"
    assert event == AccountRegisteredV1(
        account_id="acc-1",
        email="Ada@Example.com",
        full_name="Ada Lovelace",
        roles=["merchant"],
        registered_at=NOW,
    )


def test_granting_roles_changes_only_the_roles_not_yet_held() -> None:
    account = _account(roles=(Role.REVIEWER,))

    assert account.grant([Role.ADMIN, Role.REVIEWER, Role.ADMIN]) == RolesGranted(
        "acc-1", (Role.ADMIN,)
    )


def test_granting_a_role_already_held_changes_nothing() -> None:
    assert _account(roles=(Role.REVIEWER,)).grant([Role.REVIEWER]) == RolesGranted("acc-1", ())


def test_rehashing_the_password_replaces_the_hash() -> None:
    assert _account().rehash_password("$argon2id$new") == PasswordRehashed("acc-1", "$argon2id$new")


def test_the_first_application_step_an_event_tells_is_learned_at_the_events_time() -> None:
    change = _account().learn_application_step(NextStep.APPLICATION_UNDER_REVIEW, occurred_at=NOW)

    assert change == ApplicationStepLearned("acc-1", NextStep.APPLICATION_UNDER_REVIEW, NOW)


def test_a_newer_event_replaces_the_application_step() -> None:
    account = _account(application_step=NextStep.APPLICATION_UNDER_REVIEW, application_step_at=NOW)
    later = NOW + timedelta(seconds=1)

    change = account.learn_application_step(NextStep.APPLICATION_REJECTED, occurred_at=later)

    assert change == ApplicationStepLearned("acc-1", NextStep.APPLICATION_REJECTED, later)


@pytest.mark.parametrize("age", [timedelta(0), timedelta(seconds=1)], ids=["as old", "older"])
def test_an_event_no_newer_than_the_one_that_set_the_step_is_refused(age: timedelta) -> None:
    account = _account(application_step=NextStep.APPLICATION_REJECTED, application_step_at=NOW)

    with pytest.raises(OutdatedNextStepError):
        account.learn_application_step(NextStep.APPLICATION_UNDER_REVIEW, occurred_at=NOW - age)


def test_a_member_of_any_workspace_is_sent_to_the_console_whatever_their_application() -> None:
    applying = _account(application_step=NextStep.APPLICATION_UNDER_REVIEW)
    member = replace(applying, memberships={"w": Membership(member=True, at=NOW)})
    left = replace(applying, memberships={"w": Membership(member=False, at=NOW)})

    assert applying.next_step == NextStep.APPLICATION_UNDER_REVIEW
    assert member.next_step == NextStep.WORKSPACE_READY
    assert left.next_step == NextStep.APPLICATION_UNDER_REVIEW


def test_leaving_a_workspace_is_learned_unless_a_newer_event_about_it_was() -> None:
    account = _account(memberships={"w": Membership(member=True, at=NOW)})
    later = NOW + timedelta(seconds=1)

    assert account.learn_membership("w", member=False, occurred_at=later) == MembershipLearned(
        "acc-1", "w", member=False, at=later
    )
    assert account.learn_membership("other", member=True, occurred_at=NOW).workspace_id == "other"
    with pytest.raises(OutdatedNextStepError):
        account.learn_membership("w", member=False, occurred_at=NOW)


# --- refresh sessions ----------------------------------------------------------------------


def test_a_session_starts_active_with_its_first_token_until_the_ttl() -> None:
    session = RefreshSession.start(
        session_id="s-1",
        account_id="acc-1",
        token_hash="h1",
        client=CLIENT,
        now=NOW,
        ttl=TTL,
    )

    assert session == RefreshSession(
        id="s-1",
        account_id="acc-1",
        current_hash="h1",
        used_hashes=(),
        status=SessionStatus.ACTIVE,
        created_at=NOW,
        expires_at=NOW + TTL,
        client=CLIENT,
        last_used_at=NOW,
        revoked_at=None,
    )
    assert session.is_active


def test_rotating_the_current_token_swaps_it_and_extends_the_session() -> None:
    later = NOW + timedelta(days=1)

    change = _session().rotate(presented_hash="h1", new_hash="h2", now=later, ttl=TTL)

    assert change == SessionRotated(
        "s-1", old_hash="h1", new_hash="h2", expires_at=later + TTL, used_at=later
    )


def test_a_rotated_token_coming_back_is_reuse_and_revokes_the_whole_family() -> None:
    session = _session(current_hash="h2", used_hashes=("h1",))

    with pytest.raises(RefreshTokenReusedError) as reuse:
        session.rotate(presented_hash="h1", new_hash="h3", now=NOW, ttl=TTL)

    assert reuse.value.revocation == SessionRevoked(
        "s-1", "acc-1", revoked_at=NOW, reason=RevocationReason.REFRESH_TOKEN_REUSED
    )
    assert str(reuse.value) == "refresh token reused; session revoked"
    assert isinstance(reuse.value, InvalidRefreshTokenError)


def test_a_revoked_session_does_not_rotate_even_its_current_token() -> None:
    session = _session(status=SessionStatus.REVOKED, revoked_at=NOW)

    with pytest.raises(RefreshSessionRevokedError, match="unknown or revoked refresh token"):
        session.rotate(presented_hash="h1", new_hash="h2", now=NOW, ttl=TTL)


@pytest.mark.parametrize("past", [timedelta(0), timedelta(seconds=1)], ids=["at", "after"])
def test_an_expired_session_does_not_rotate(past: timedelta) -> None:
    with pytest.raises(RefreshTokenExpiredError, match="refresh token expired"):
        _session().rotate(presented_hash="h1", new_hash="h2", now=NOW + TTL + past, ttl=TTL)


def test_an_expired_session_still_answers_a_reused_token_as_reuse() -> None:
    # Reuse is checked first: a stolen old token never passes for a merely expired one.
    session = _session(current_hash="h2", used_hashes=("h1",))

    with pytest.raises(RefreshTokenReusedError):
        session.rotate(presented_hash="h1", new_hash="h3", now=NOW + 2 * TTL, ttl=TTL)


def test_revoking_an_active_session_ends_it_now() -> None:
    revocation = _session().revoke(now=NOW, reason=RevocationReason.LOGOUT)

    assert revocation == SessionRevoked(
        "s-1", "acc-1", revoked_at=NOW, reason=RevocationReason.LOGOUT
    )
    assert revocation.event.session_id == "s-1"
    assert revocation.event.reason == "logout"


def test_a_revoked_session_cannot_be_revoked_again() -> None:
    revoked = _session(status=SessionStatus.REVOKED, revoked_at=NOW)

    with pytest.raises(RefreshSessionRevokedError):
        revoked.revoke(now=NOW, reason=RevocationReason.LOGOUT)


# --- login throttling ------------------------------------------------------------------------


def test_a_login_window_keys_failures_by_account_and_address_in_a_fixed_window() -> None:
    at = datetime(2026, 11, 20, 9, 10, 30, tzinfo=UTC)  # 10 min 30 s into a 15-minute window
    start = int(datetime(2026, 11, 20, 9, 0, tzinfo=UTC).timestamp())

    window = LoginWindow.at(at, email=" Ada@Example.com", client_ip="198.51.100.1", length_s=900)

    assert window.keys == [f"account:ada@example.com:{start}", f"ip:198.51.100.1:{start}"]
    assert window.ends_in_s == 270


def test_a_window_refuses_once_the_account_or_the_address_failed_too_often() -> None:
    window = LoginWindow.at(NOW, email="a@b.example", client_ip="ip", length_s=900)
    limits = {"max_per_account": 5, "max_per_address": 50}

    window.check({window.account_key: 4, window.address_key: 49}, **limits)
    for failures in ({window.account_key: 5}, {window.address_key: 50}):
        with pytest.raises(TooManyAttemptsError) as refused:
            window.check(failures, **limits)
        assert refused.value.retry_after_s == window.ends_in_s
