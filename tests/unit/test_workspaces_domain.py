from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from workspaces.domain import (
    LOGO_COLORS,
    AlreadyApprovedError,
    AlreadyMemberError,
    Applicant,
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationDecided,
    ApplicationNotFoundError,
    ApplicationStatus,
    ApplicationSubmitted,
    ApplicationUnderReviewError,
    Decision,
    DirectoryAccount,
    DraftAlreadyOpenError,
    DraftForm,
    DraftLogoSet,
    DraftSaved,
    DraftStep,
    IncompleteApplicationError,
    Member,
    MemberAdded,
    MemberNotFoundError,
    MemberRemoved,
    MemberRole,
    MemberRoleChanged,
    NoDraftError,
    NotOwnerError,
    OwnerIsFixedError,
    ReviewDecision,
    Workspace,
    WorkspaceActivated,
    WorkspaceAlreadyActiveError,
    WorkspaceStatus,
    default_logo_svg,
    expected_decision_by,
    logo_initial,
    workspace_id_for,
)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (datetime(2026, 11, 16, 9, 30, tzinfo=UTC), datetime(2026, 11, 18, 9, 30, tzinfo=UTC)),
        (datetime(2026, 11, 19, 18, 0, tzinfo=UTC), datetime(2026, 11, 23, 18, 0, tzinfo=UTC)),
        (datetime(2026, 11, 20, 10, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 21, 10, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 22, 10, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
    ],
    ids=["monday", "thursday", "friday", "saturday", "sunday"],
)
def test_the_decision_is_expected_two_business_days_later_skipping_weekends(
    submitted: datetime, expected: datetime
) -> None:
    assert expected_decision_by(submitted) == expected


@pytest.mark.parametrize(
    ("name", "initial"),
    [("acme", "A"), ("  éclair", "É"), ("阿里巴巴", "阿"), ("1st Apps", "1"), ("", "?")],
)
def test_the_default_logo_shows_the_first_character_uppercased_for_latin(
    name: str, initial: str
) -> None:
    assert logo_initial(name) == initial


def test_the_default_logo_escapes_the_name() -> None:
    svg = default_logo_svg("<script>", LOGO_COLORS[0])
    assert "&lt;</text>" in svg
    assert "<script>" not in svg
    assert f'fill="{LOGO_COLORS[0]}"' in svg


def test_a_workspace_id_is_fixed_by_its_application() -> None:
    assert workspace_id_for("app-1") == workspace_id_for("app-1")
    assert workspace_id_for("app-1") != workspace_id_for("app-2")


# --- the application's transitions ----------------------------------------------------------

NOW = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
APPLICANT = Applicant(email="ada@acme.example", full_name="Ada Merchant")
FORM = {"role": "technical_merchant", "company_name": "Acme Apps", "website": None}


def _draft(**fields: Any) -> Application:
    return replace(
        Application.new_draft(account_id="acc-1", previous=None, logo_color="#1677FF", now=NOW),
        **fields,
    )


def _under_review() -> Application:
    change, _ = _draft(form=FORM).submit(applicant=APPLICANT, now=NOW)
    return _draft(
        status=ApplicationStatus.UNDER_REVIEW,
        form=change.form,
        applicant=change.applicant,
        submitted_at=change.submitted_at,
    )


def _decided(decision: Decision) -> Application:
    application = _under_review()
    change, _ = application.decide(decision=decision, reason="no", reviewer_id="rev-1", now=LATER)
    return replace(application, status=change.status, decision=change.decision)


def test_a_first_draft_starts_empty_at_the_role_step() -> None:
    draft = Application.new_draft(account_id="acc-1", previous=None, logo_color="#1677FF", now=NOW)

    assert (draft.status, draft.step, draft.form) == (ApplicationStatus.DRAFT, DraftStep.ROLE, {})
    assert (draft.account_id, draft.logo_id, draft.previous_application_id) == ("acc-1", None, None)
    assert draft.created_at == draft.updated_at == NOW


def test_a_draft_after_a_rejection_starts_from_the_rejected_application_and_links_it() -> None:
    rejected = replace(_decided("reject"), logo_id="logo-1")

    draft = Application.new_draft(
        account_id="acc-1", previous=rejected, logo_color="#0E7C86", now=LATER
    )

    assert draft.id != rejected.id
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.form == rejected.form
    assert (draft.logo_id, draft.previous_application_id) == ("logo-1", rejected.id)


@pytest.mark.parametrize(
    ("previous", "error"),
    [
        (_draft, DraftAlreadyOpenError),
        (_under_review, ApplicationUnderReviewError),
        (lambda: _decided("approve"), AlreadyApprovedError),
    ],
    ids=["draft", "under-review", "approved"],
)
def test_no_new_draft_while_an_application_is_open_or_once_one_is_approved(
    previous: Callable[[], Application], error: type[Exception]
) -> None:
    with pytest.raises(error):
        Application.new_draft(
            account_id="acc-1", previous=previous(), logo_color="#0E7C86", now=LATER
        )


def test_saving_a_draft_changes_the_fields_sent_and_the_step() -> None:
    change = _draft().save_draft({"company_name": "Acme"}, step=DraftStep.REVIEW, now=LATER)

    assert change == DraftSaved(
        form={"company_name": "Acme"}, step=DraftStep.REVIEW, updated_at=LATER
    )


def test_a_logo_is_set_on_a_draft_and_removed_with_none() -> None:
    assert _draft().set_logo("logo-1", now=LATER) == DraftLogoSet(
        logo_id="logo-1", updated_at=LATER
    )
    assert _draft().set_logo(None, now=LATER).logo_id is None


@pytest.mark.parametrize(
    ("application", "error"),
    [
        (_under_review, ApplicationUnderReviewError),
        (lambda: _decided("approve"), AlreadyApprovedError),
        (lambda: _decided("reject"), NoDraftError),
    ],
    ids=["under-review", "approved", "rejected"],
)
def test_only_a_draft_is_edited(
    application: Callable[[], Application], error: type[Exception]
) -> None:
    with pytest.raises(error):
        application().save_draft({"company_name": "Acme"}, step=None, now=LATER)
    with pytest.raises(error):
        application().set_logo(None, now=LATER)


def test_a_complete_draft_is_submitted_with_its_event() -> None:
    draft = _draft(form=FORM, previous_application_id="app-0")

    change, event = draft.submit(applicant=APPLICANT, now=NOW)

    assert change == ApplicationSubmitted(
        form={**FORM, "contact_number": None, "contact_email": None},
        applicant=APPLICANT,
        submitted_at=NOW,
        expected_decision_by=datetime(2026, 11, 18, 9, 30, tzinfo=UTC),
        updated_at=NOW,
    )
    assert event == ApplicationSubmittedV1(
        application_id=draft.id,
        account_id="acc-1",
        email=APPLICANT.email,
        full_name=APPLICANT.full_name,
        company_name="Acme Apps",
        submitted_at=NOW,
        expected_decision_by=change.expected_decision_by,
        previous_application_id="app-0",
    )


def test_submitting_an_incomplete_draft_names_every_missing_or_invalid_field() -> None:
    draft = _draft(form={"website": "https://acme.example", "contact_number": "call me"})

    with pytest.raises(IncompleteApplicationError) as refused:
        draft.submit(applicant=APPLICANT, now=NOW)

    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("role", "missing"),
        ("company_name", "missing"),
        ("contact_number", "phone_format"),
    }
    assert all(e.message for e in refused.value.errors)


@pytest.mark.parametrize(
    "application", [_under_review, lambda: _decided("reject")], ids=["under-review", "rejected"]
)
def test_only_a_draft_is_submitted(application: Callable[[], Application]) -> None:
    with pytest.raises(NoDraftError):
        application().submit(applicant=APPLICANT, now=LATER)


def test_an_approval_names_the_workspace_it_provisions_and_announces_the_decision() -> None:
    application = _under_review()

    change, event = application.decide(
        decision="approve", reason=None, reviewer_id="rev-1", now=LATER
    )

    assert change == ApplicationDecided(
        status=ApplicationStatus.APPROVED,
        decision=ReviewDecision(
            decision="approve", reason=None, reviewer_id="rev-1", reviewed_at=LATER
        ),
        workspace_id=workspace_id_for(application.id),
        updated_at=LATER,
    )
    assert not change.reopens
    assert event == ApplicationReviewedV1(
        application_id=application.id,
        account_id="acc-1",
        email=APPLICANT.email,
        full_name=APPLICANT.full_name,
        company_name="Acme Apps",
        decision="approve",
        reason=None,
        reviewed_at=LATER,
        reviewer_id="rev-1",
    )


def test_a_rejection_carries_its_reason_and_lets_the_applicant_apply_again() -> None:
    change, event = _under_review().decide(
        decision="reject", reason="Add the website", reviewer_id="rev-1", now=LATER
    )

    assert change.status == ApplicationStatus.REJECTED
    assert change.workspace_id is None
    assert change.reopens
    assert (event.decision, event.reason) == ("reject", "Add the website")
    rejected = replace(_under_review(), status=change.status, decision=change.decision)
    assert rejected.rejection_reason == "Add the website"


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_a_second_decision_is_refused(first: Decision) -> None:
    decided = _decided(first)

    for decision in ("approve", "reject"):
        with pytest.raises(ApplicationAlreadyDecidedError):
            decided.decide(decision=decision, reason="x", reviewer_id="rev-2", now=LATER)


def test_reviewers_neither_see_nor_decide_a_draft() -> None:
    draft = _draft(form=FORM)

    assert not draft.visible_for_review
    with pytest.raises(ApplicationNotFoundError):
        draft.decide(decision="approve", reason=None, reviewer_id="rev-1", now=LATER)


def test_a_phone_number_must_match_whole_a_trailing_newline_is_refused() -> None:
    assert DraftForm(contact_number=" +86 21 5555 0100 ").contact_number == "+86 21 5555 0100"
    for value in ("+86 21 5555 0100\n", "+86 21 5555 0100\nx", "\t+86 21 5555 0100"):
        with pytest.raises(ValidationError, match="must be a phone number"):
            DraftForm(contact_number=value)


# --- the workspace's transitions ------------------------------------------------------------

APPROVAL = ApplicationReviewedV1(
    application_id="app-1",
    account_id="owner-1",
    email="ada@acme.example",
    full_name="Ada Merchant",
    company_name="Acme Apps",
    decision="approve",
    reviewed_at=NOW,
    reviewer_id="rev-1",
)
DEV = DirectoryAccount(account_id="dev-1", email="dev@acme.example", full_name="Dev")


def _provisioned() -> Workspace:
    return Workspace.provision(approval=APPROVAL, logo_id=None, logo_color="#1677FF", now=NOW)


def _active_with_developer() -> Workspace:
    workspace = replace(_provisioned(), status=WorkspaceStatus.ACTIVE)
    change, _ = workspace.add_member(DEV, role=MemberRole.DEVELOPER, now=NOW)
    return replace(workspace, members=(*workspace.members, change.member))


def test_provisioning_makes_the_applicant_the_owner_of_a_workspace_named_after_the_company() -> (
    None
):
    workspace = Workspace.provision(
        approval=APPROVAL, logo_id="logo-1", logo_color="#1677FF", now=NOW
    )

    assert workspace.id == workspace_id_for("app-1")
    assert (workspace.name, workspace.status) == ("Acme Apps", WorkspaceStatus.PROVISIONING)
    assert (workspace.logo_id, workspace.logo_color) == ("logo-1", "#1677FF")
    assert workspace.members == (
        Member(
            account_id="owner-1",
            email="ada@acme.example",
            full_name="Ada Merchant",
            role=MemberRole.OWNER,
            added_at=NOW,
        ),
    )
    assert workspace.role_of("owner-1") == MemberRole.OWNER
    assert workspace.role_of("stranger") is None


def test_activating_a_provisioned_workspace_announces_it() -> None:
    workspace = _provisioned()

    change, event = workspace.activate(LATER)

    assert change == WorkspaceActivated(activated_at=LATER)
    assert event == WorkspaceCreatedV1(
        workspace_id=workspace.id,
        name="Acme Apps",
        owner_account_id="owner-1",
        owner_email="ada@acme.example",
        application_id="app-1",
        created_at=NOW,
    )


def test_an_active_workspace_is_not_activated_again() -> None:
    with pytest.raises(WorkspaceAlreadyActiveError):
        replace(_provisioned(), status=WorkspaceStatus.ACTIVE).activate(LATER)


def test_only_the_owner_manages_members() -> None:
    workspace = _active_with_developer()

    workspace.check_manages_members("owner-1")
    for account_id in ("dev-1", "stranger"):
        with pytest.raises(NotOwnerError):
            workspace.check_manages_members(account_id)


def test_adding_a_member_makes_the_change_and_its_event() -> None:
    change, event = _provisioned().add_member(DEV, role=MemberRole.MASTER, now=LATER)

    assert change == MemberAdded(
        member=Member(
            account_id="dev-1",
            email="dev@acme.example",
            full_name="Dev",
            role=MemberRole.MASTER,
            added_at=LATER,
        )
    )
    assert event == WorkspaceMemberAddedV1(
        workspace_id=workspace_id_for("app-1"),
        account_id="dev-1",
        email="dev@acme.example",
        role="master",
        added_at=LATER,
        added_by="owner-1",
        full_name="Dev",
    )


def test_a_member_is_not_added_twice_and_nobody_is_added_as_owner() -> None:
    with pytest.raises(AlreadyMemberError):
        _active_with_developer().add_member(DEV, role=MemberRole.MASTER, now=LATER)
    with pytest.raises(OwnerIsFixedError):
        _provisioned().add_member(DEV, role=MemberRole.OWNER, now=LATER)


def test_changing_a_members_role_makes_the_change_and_its_event() -> None:
    workspace = _active_with_developer()

    change, event = workspace.change_member_role("dev-1", role=MemberRole.MASTER, now=LATER)

    assert change == MemberRoleChanged(account_id="dev-1", role=MemberRole.MASTER)
    # The before and after of the change, and who made it (the owner: only they manage).
    assert event == WorkspaceMemberRoleChangedV1(
        workspace_id=workspace.id,
        account_id="dev-1",
        role="master",
        changed_at=LATER,
        changed_by=workspace.owner_account_id,
        previous_role="developer",
        email="dev@acme.example",
    )


def test_the_owner_keeps_the_owner_role_and_nobody_else_gets_it() -> None:
    workspace = _active_with_developer()

    with pytest.raises(OwnerIsFixedError):
        workspace.change_member_role("owner-1", role=MemberRole.DEVELOPER, now=LATER)
    with pytest.raises(OwnerIsFixedError):
        workspace.change_member_role("dev-1", role=MemberRole.OWNER, now=LATER)
    with pytest.raises(OwnerIsFixedError):
        workspace.remove_member("owner-1", now=LATER)


def test_removing_a_member_makes_the_change_and_its_event() -> None:
    workspace = _active_with_developer()

    change, event = workspace.remove_member("dev-1", now=LATER)

    assert change == MemberRemoved(account_id="dev-1")
    assert event == WorkspaceMemberRemovedV1(
        workspace_id=workspace.id,
        account_id="dev-1",
        removed_at=LATER,
        removed_by=workspace.owner_account_id,
        email="dev@acme.example",
        role="developer",
    )


def test_a_stranger_is_no_member_to_change_or_remove() -> None:
    workspace = _active_with_developer()

    with pytest.raises(MemberNotFoundError):
        workspace.change_member_role("stranger", role=MemberRole.MASTER, now=LATER)
    with pytest.raises(MemberNotFoundError):
        workspace.remove_member("stranger", now=LATER)


def test_a_first_draft_takes_the_default_logo_colour_it_is_given() -> None:
    draft = Application.new_draft(account_id="acc-1", previous=None, logo_color="#722ED1", now=NOW)

    assert draft.logo_color == "#722ED1"


def test_a_draft_after_a_rejection_keeps_the_colour_the_applicant_saw() -> None:
    rejected = replace(_decided("reject"), logo_color="#C41D7F")

    draft = Application.new_draft(
        account_id="acc-1", previous=rejected, logo_color="#1677FF", now=LATER
    )

    assert draft.logo_color == "#C41D7F"
