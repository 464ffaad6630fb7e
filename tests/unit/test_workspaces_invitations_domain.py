"""Invitations without a database: expiry on a given clock, single use, resends that replace
the link, revocation, and who may accept."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from shared.contracts.workspaces import InvitationCreatedV1, WorkspaceMemberAddedV1
from workspaces.domain import (
    INVITATION_TTL,
    AlreadyMemberError,
    DirectoryAccount,
    Invitation,
    InvitationAcceptedError,
    InvitationEmailMismatchError,
    InvitationExpiredError,
    InvitationNotFoundError,
    InvitationPendingError,
    InvitationRevokedError,
    InvitationStatus,
    InvitationTokenReplacedError,
    Member,
    MemberRole,
    OwnerIsFixedError,
    TooManyInvitationsError,
    Workspace,
    WorkspaceStatus,
    hash_token,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OWNER = Member("owner-1", "owner@example.com", "Olivia Owner", MemberRole.OWNER, NOW)
INVITEE = DirectoryAccount("invitee-1", "Dev@Example.com", "Dev Eloper")


def seal(token: str) -> str:
    return f"sealed({token})"


def workspace(*invitations: Invitation) -> Workspace:
    return Workspace(
        id="ws-1",
        application_id="app-1",
        name="Acme",
        status=WorkspaceStatus.ACTIVE,
        owner_account_id=OWNER.account_id,
        logo_id=None,
        logo_color="#1677FF",
        members=(OWNER,),
        created_at=NOW,
        invitations=invitations,
    )


def invited(email: str = "dev@example.com") -> tuple[Invitation, str, InvitationCreatedV1]:
    change, event = workspace().invite(email=email, role=MemberRole.DEVELOPER, now=NOW, seal=seal)
    return change.invitation, change.token, event


def test_an_invitation_keeps_only_the_tokens_hash_and_its_event_carries_it_sealed() -> None:
    invitation, token, event = invited()

    assert len(token) >= 40
    assert invitation.token_hash == hash_token(token) != token
    assert event.sealed_token == seal(token)
    assert (event.email, event.role, event.workspace_name) == (
        "dev@example.com",
        "developer",
        "Acme",
    )
    assert (event.invited_by, event.inviter_name) == ("owner-1", "Olivia Owner")
    assert event.expires_at == NOW + INVITATION_TTL == NOW + timedelta(days=3)
    assert event.resent is False


def test_it_is_pending_until_three_days_have_passed_on_the_clock_then_expired() -> None:
    invitation, _, _ = invited()

    assert invitation.status(NOW + timedelta(days=3, seconds=-1)) == InvitationStatus.PENDING
    assert invitation.status(NOW + timedelta(days=3)) == InvitationStatus.EXPIRED


def test_the_invited_account_accepts_with_the_invited_role_whatever_the_emails_case() -> None:
    invitation, token, _ = invited()

    change, event = workspace(invitation).accept_invitation(
        hash_token(token), account=INVITEE, now=NOW + timedelta(days=2)
    )

    assert change.member.role == MemberRole.DEVELOPER
    assert change.invitation_id == invitation.id
    assert isinstance(event, WorkspaceMemberAddedV1)
    assert (event.account_id, event.invitation_id, event.added_by) == (
        "invitee-1",
        invitation.id,
        "invitee-1",
    )


@pytest.mark.parametrize(
    ("stored", "error"),
    [
        pytest.param(InvitationStatus.ACCEPTED, InvitationAcceptedError, id="used"),
        pytest.param(InvitationStatus.REVOKED, InvitationRevokedError, id="revoked"),
    ],
)
def test_a_used_or_revoked_token_cannot_accept(
    stored: InvitationStatus, error: type[Exception]
) -> None:
    invitation, token, _ = invited()

    with pytest.raises(error):
        workspace(replace(invitation, stored_status=stored)).accept_invitation(
            hash_token(token), account=INVITEE, now=NOW
        )


def test_an_expired_token_cannot_accept() -> None:
    invitation, token, _ = invited()

    with pytest.raises(InvitationExpiredError):
        workspace(invitation).accept_invitation(
            hash_token(token), account=INVITEE, now=NOW + INVITATION_TTL
        )


def test_another_accounts_email_cannot_accept_and_an_unknown_token_is_not_found() -> None:
    invitation, token, _ = invited()
    stranger = DirectoryAccount("stranger-1", "someone@example.com", "Some One")

    with pytest.raises(InvitationEmailMismatchError):
        workspace(invitation).accept_invitation(hash_token(token), account=stranger, now=NOW)
    with pytest.raises(InvitationNotFoundError):
        workspace(invitation).accept_invitation(hash_token("guess"), account=INVITEE, now=NOW)


def test_a_member_cannot_accept_again() -> None:
    invitation, token, _ = invited()
    joined = replace(
        workspace(invitation),
        members=(OWNER, Member("invitee-1", INVITEE.email, "Dev", MemberRole.MASTER, NOW)),
    )

    with pytest.raises(AlreadyMemberError):
        joined.accept_invitation(hash_token(token), account=INVITEE, now=NOW)


def test_a_resend_gives_a_new_token_and_expiry_and_the_old_link_says_it_was_replaced() -> None:
    invitation, old_token, _ = invited()
    later = NOW + timedelta(days=5)  # expired by then: a resend revives it

    change, event = workspace(invitation).resend_invitation(invitation.id, now=later, seal=seal)
    again = change.invitation

    assert again.token_hash == hash_token(change.token) != invitation.token_hash
    assert again.expires_at == later + INVITATION_TTL
    assert again.status(later) == InvitationStatus.PENDING
    assert (again.sent_count, event.resent, event.sealed_token) == (2, True, seal(change.token))
    with pytest.raises(InvitationTokenReplacedError):
        workspace(again).accept_invitation(hash_token(old_token), account=INVITEE, now=later)
    workspace(again).accept_invitation(hash_token(change.token), account=INVITEE, now=later)


def test_revoking_is_idempotent_and_an_accepted_invitation_cannot_be_revoked_or_resent() -> None:
    invitation, _, _ = invited()

    revoked = workspace(invitation).revoke_invitation(invitation.id, now=NOW)
    assert revoked is not None
    assert revoked[1].revoked_by == "owner-1"
    gone = replace(invitation, stored_status=InvitationStatus.REVOKED)
    assert workspace(gone).revoke_invitation(invitation.id, now=NOW) is None
    used = replace(invitation, stored_status=InvitationStatus.ACCEPTED)
    with pytest.raises(InvitationAcceptedError):
        workspace(used).revoke_invitation(invitation.id, now=NOW)
    with pytest.raises(InvitationAcceptedError):
        workspace(used).resend_invitation(invitation.id, now=NOW, seal=seal)
    with pytest.raises(InvitationNotFoundError):
        workspace(invitation).revoke_invitation("another", now=NOW)


def test_one_pending_invitation_per_email_at_most_twenty_and_never_as_owner_or_a_member() -> None:
    invitation, _, _ = invited()

    with pytest.raises(InvitationPendingError):
        workspace(invitation).invite(
            email=" DEV@example.com ", role=MemberRole.MASTER, now=NOW, seal=seal
        )
    # Once it expired, the email may be invited anew.
    workspace(invitation).invite(
        email="dev@example.com", role=MemberRole.MASTER, now=NOW + INVITATION_TTL, seal=seal
    )
    with pytest.raises(OwnerIsFixedError):
        workspace().invite(email="x@example.com", role=MemberRole.OWNER, now=NOW, seal=seal)
    with pytest.raises(AlreadyMemberError):
        workspace().invite(email="OWNER@example.com", role=MemberRole.MASTER, now=NOW, seal=seal)
    many = tuple(invited(f"dev{n}@example.com")[0] for n in range(20))
    with pytest.raises(TooManyInvitationsError):
        workspace(*many).invite(
            email="one-more@example.com", role=MemberRole.MASTER, now=NOW, seal=seal
        )
