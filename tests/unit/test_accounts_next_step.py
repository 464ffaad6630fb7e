from datetime import UTC, datetime

from accounts.consumers import ApplicationStep, MembershipChange, next_step_after
from accounts.domain import NextStep
from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationWithdrawnV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
)
from shared.events import new_event

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def _reviewed(decision: str) -> ApplicationReviewedV1:
    return ApplicationReviewedV1(
        application_id="app",
        account_id="acc",
        email="a@b.example",
        full_name="A",
        company_name="Acme",
        decision=decision,
        reason="r",
        reviewed_at=NOW,
        reviewer_id="rev",
    )


def test_a_rejection_sets_application_rejected_and_an_approval_waits_for_the_workspace() -> None:
    rejected = new_event(_reviewed("reject"), producer="workspaces")
    approved = new_event(_reviewed("approve"), producer="workspaces")
    assert next_step_after(rejected) == ApplicationStep("acc", NextStep.APPLICATION_REJECTED)
    assert next_step_after(approved) is None


def test_a_created_workspace_makes_its_owner_a_member() -> None:
    created = new_event(
        WorkspaceCreatedV1(
            workspace_id="w",
            name="Acme",
            owner_account_id="acc",
            owner_email="a@b.example",
            application_id="app",
            created_at=NOW,
        ),
        producer="workspaces",
    )
    assert next_step_after(created) == MembershipChange("acc", "w", member=True)


def test_an_added_member_joins_and_a_removed_one_leaves() -> None:
    added = WorkspaceMemberAddedV1(
        workspace_id="w", account_id="dev", email="d@b.example", role="developer", added_at=NOW
    )
    removed = WorkspaceMemberRemovedV1(workspace_id="w", account_id="dev", removed_at=NOW)

    assert next_step_after(new_event(added, producer="workspaces")) == MembershipChange(
        "dev", "w", member=True
    )
    assert next_step_after(new_event(removed, producer="workspaces")) == MembershipChange(
        "dev", "w", member=False
    )


def test_a_withdrawal_sends_the_applicant_back_to_apply() -> None:
    withdrawn = ApplicationWithdrawnV1(
        application_id="app",
        account_id="acc",
        company_name="Acme",
        submitted_at=NOW,
        withdrawn_at=NOW,
    )
    assert next_step_after(new_event(withdrawn, producer="workspaces")) == ApplicationStep(
        "acc", NextStep.APPLY_WORKSPACE
    )
