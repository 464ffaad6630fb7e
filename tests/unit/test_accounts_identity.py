"""Accounts' identity rules without a database: mailed links (single use, expiry, resend
cooldown), passwords changed, TOTP codes (window of one step, never twice), recovery codes,
and staff roles withheld until two-factor sign-in is on."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from accounts.domain import (
    Account,
    EmailAlreadyVerifiedError,
    InvalidLinkError,
    InvalidSecondFactorError,
    Link,
    LinkExpiredError,
    LinkPurpose,
    NextStep,
    Role,
    TooSoonError,
    TwoFactor,
    TwoFactorAlreadyEnabledError,
    TwoFactorNotStartedError,
)
from accounts.domain.two_factor import (
    RECOVERY_CODE_COUNT,
    format_recovery_code,
    hash_recovery_code,
    new_recovery_codes,
)
from shared.contracts.accounts import (
    EmailVerificationRequestedV1,
    PasswordChangedV1,
    PasswordResetRequestedV1,
)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
DAY = timedelta(hours=24)
SECRET = pyotp.random_base32()


def _account(*, roles: tuple[Role, ...] = (Role.MERCHANT,), **changes: object) -> Account:
    account, _ = Account.register(
        account_id="acc-1",
        email="ada@example.com",
        full_name="Ada Lovelace",
        password_hash="$argon2id$old",
        roles=roles,
        terms_version="2026-11-01",
        now=NOW,
    )
    return replace(account, **changes)


def _with_verification_link(**link: object) -> Account:
    values: dict[str, object] = {
        "token_hash": "h1",
        "requested_at": NOW,
        "expires_at": NOW + DAY,
        **link,
    }
    return _account(email_verification=Link(**values))  # type: ignore[arg-type]


def _enabled(**changes: object) -> TwoFactor:
    return replace(TwoFactor(secret=SECRET, enabled_at=NOW), **changes)


def _code(at: datetime) -> str:
    return pyotp.TOTP(SECRET).at(at)


# --- links -----------------------------------------------------------------------------------


def test_a_verification_link_is_mailed_sealed_and_valid_for_its_ttl() -> None:
    requested, event = _account().request_link(
        LinkPurpose.EMAIL_VERIFICATION, token_hash="h1", sealed_token="sealed", now=NOW, ttl=DAY
    )

    assert requested.link == Link(token_hash="h1", requested_at=NOW, expires_at=NOW + DAY)
    assert requested.replaces is None
    assert isinstance(event, EmailVerificationRequestedV1)
    assert event.sealed_token == "sealed"
    assert event.expires_at == NOW + DAY
    assert "h1" not in event.model_dump_json()


def test_a_resend_within_the_cooldown_is_too_soon_and_after_it_replaces_the_link() -> None:
    account = _with_verification_link()
    cooldown = timedelta(seconds=60)

    with pytest.raises(TooSoonError) as too_soon:
        account.request_link(
            LinkPurpose.EMAIL_VERIFICATION,
            token_hash="h2",
            sealed_token="s",
            now=NOW + timedelta(seconds=30),
            ttl=DAY,
            cooldown=cooldown,
        )
    requested, _ = account.request_link(
        LinkPurpose.EMAIL_VERIFICATION,
        token_hash="h2",
        sealed_token="s",
        now=NOW + cooldown,
        ttl=DAY,
        cooldown=cooldown,
    )

    assert 1 <= too_soon.value.retry_after_s <= 31
    assert requested.replaces == NOW  # saved only if the pending one is still that one


def test_a_verified_email_asks_for_no_new_link() -> None:
    with pytest.raises(EmailAlreadyVerifiedError):
        _account(email_verified_at=NOW).request_link(
            LinkPurpose.EMAIL_VERIFICATION, token_hash="h", sealed_token="s", now=NOW, ttl=DAY
        )


def test_the_link_verifies_the_email_until_it_expires() -> None:
    account = _with_verification_link()

    verified, event = account.verify_email(token_hash="h1", now=NOW + DAY - timedelta(seconds=1))
    with pytest.raises(LinkExpiredError):
        account.verify_email(token_hash="h1", now=NOW + DAY)

    assert verified.token_hash == "h1"
    assert event.account_id == "acc-1"


def test_a_token_not_of_the_pending_link_is_invalid() -> None:
    with pytest.raises(InvalidLinkError):
        _with_verification_link().verify_email(token_hash="older", now=NOW)
    with pytest.raises(InvalidLinkError):
        _account().verify_email(token_hash="h1", now=NOW)


def test_a_reset_link_sets_the_password_and_ends_every_session() -> None:
    link = Link(token_hash="r1", requested_at=NOW, expires_at=NOW + timedelta(minutes=30))
    account = _account(password_reset=link)

    changed, event = account.reset_password(token_hash="r1", password_hash="$new", now=NOW)
    with pytest.raises(LinkExpiredError):
        account.reset_password(
            token_hash="r1", password_hash="$new", now=NOW + timedelta(minutes=30)
        )

    assert changed.reset_token_hash == "r1"
    assert changed.kept_session_id is None
    assert isinstance(event, PasswordChangedV1)
    assert event.how == "reset"


def test_a_reset_request_event_carries_only_the_sealed_token() -> None:
    _, event = _account().request_link(
        LinkPurpose.PASSWORD_RESET,
        token_hash="r1",
        sealed_token="sealed",
        now=NOW,
        ttl=timedelta(minutes=30),
    )

    assert isinstance(event, PasswordResetRequestedV1)
    assert event.sealed_token == "sealed"


def test_sessions_survive_a_password_change_only_when_kept_or_started_after() -> None:
    account = _account(password_changed_at=NOW, password_kept_session="mine")

    assert account.session_survives("mine", created_at=NOW - DAY)
    assert not account.session_survives("other", created_at=NOW - DAY)
    assert account.session_survives("later", created_at=NOW + timedelta(seconds=1))
    assert _account().session_survives("any", created_at=NOW - DAY)


# --- two-factor sign-in -----------------------------------------------------------------------


def test_enrolment_waits_for_its_first_code_then_is_on_with_that_step_used() -> None:
    started = _account().start_two_factor(SECRET)
    account = _account(two_factor=started.two_factor)

    confirmed = account.confirm_two_factor(_code(NOW), recovery_hashes=("r",), now=NOW)

    assert not started.two_factor.enabled
    assert confirmed.step == pyotp.TOTP(SECRET).timecode(NOW)
    assert confirmed.recovery_hashes == ("r",)


def test_enrolling_again_while_enabled_is_refused_and_confirming_without_enrolment_too() -> None:
    with pytest.raises(TwoFactorAlreadyEnabledError):
        _account(two_factor=_enabled()).start_two_factor(SECRET)
    with pytest.raises(TwoFactorNotStartedError):
        _account().confirm_two_factor("123456", recovery_hashes=(), now=NOW)
    with pytest.raises(TwoFactorNotStartedError):
        _account().accept_code("123456", now=NOW)


@pytest.mark.parametrize("drift_s", [-30, 0, 30])
def test_a_code_of_the_step_before_or_after_is_accepted(drift_s: int) -> None:
    account = _account(two_factor=_enabled())

    accepted = account.accept_code(_code(NOW + timedelta(seconds=drift_s)), now=NOW)

    assert accepted.step == pyotp.TOTP(SECRET).timecode(NOW + timedelta(seconds=drift_s))


@pytest.mark.parametrize("drift_s", [-90, 90])
def test_a_code_two_steps_away_is_refused(drift_s: int) -> None:
    account = _account(two_factor=_enabled())

    with pytest.raises(InvalidSecondFactorError):
        account.accept_code(_code(NOW + timedelta(seconds=drift_s)), now=NOW)


def test_a_code_is_never_accepted_twice_nor_an_older_one_after_it() -> None:
    step = pyotp.TOTP(SECRET).timecode(NOW)
    account = _account(two_factor=_enabled(last_step=step))

    with pytest.raises(InvalidSecondFactorError, match="used already"):
        account.accept_code(_code(NOW), now=NOW)
    with pytest.raises(InvalidSecondFactorError):
        account.accept_code(_code(NOW - timedelta(seconds=30)), now=NOW)
    assert account.accept_code(_code(NOW + timedelta(seconds=30)), now=NOW).step == step + 1


def test_a_recovery_code_is_accepted_while_unused_whatever_its_typing() -> None:
    codes = new_recovery_codes()
    hashes = tuple(hash_recovery_code(c) for c in codes)
    account = _account(two_factor=_enabled(recovery_hashes=hashes))
    typed = format_recovery_code(codes[3]).lower()

    used = account.use_recovery_code(hash_recovery_code(typed))
    spent = _account(two_factor=_enabled(recovery_hashes=hashes[:3] + hashes[4:]))

    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    assert used.code_hash == hashes[3]
    with pytest.raises(InvalidSecondFactorError):
        spent.use_recovery_code(hash_recovery_code(codes[3]))


def test_a_secret_that_did_not_open_takes_no_code_but_a_recovery_code() -> None:
    codes = new_recovery_codes()
    hashes = tuple(hash_recovery_code(c) for c in codes)
    account = _account(two_factor=_enabled(secret=None, recovery_hashes=hashes))
    pending = _account(two_factor=TwoFactor(secret=None))

    with pytest.raises(InvalidSecondFactorError):
        account.accept_code(_code(NOW), now=NOW)
    with pytest.raises(InvalidSecondFactorError):
        pending.confirm_two_factor(_code(NOW), recovery_hashes=hashes, now=NOW)
    assert account.use_recovery_code(hash_recovery_code(codes[0])).code_hash == hashes[0]


def test_staff_without_two_factor_get_no_staff_role_in_tokens_and_are_told_to_enrol() -> None:
    reviewer = _account(roles=(Role.REVIEWER,))
    enrolled = _account(roles=(Role.REVIEWER,), two_factor=_enabled())
    pending = _account(roles=(Role.ADMIN,), two_factor=TwoFactor(secret=SECRET))

    assert reviewer.token_roles() == ()
    assert reviewer.roles_awaiting_two_factor() == (Role.REVIEWER,)
    assert reviewer.next_step_with() is NextStep.ENROL_TWO_FACTOR
    assert pending.token_roles() == ()
    assert enrolled.token_roles() == (Role.REVIEWER,)
    assert enrolled.next_step_with() is NextStep.APPLY_WORKSPACE
    assert _account().token_roles() == (Role.MERCHANT,)


def test_a_developer_machine_may_let_staff_in_without_two_factor() -> None:
    reviewer = _account(roles=(Role.REVIEWER,))

    assert reviewer.token_roles(two_factor_required=False) == (Role.REVIEWER,)
    assert reviewer.next_step_with(two_factor_required=False) is NextStep.APPLY_WORKSPACE
