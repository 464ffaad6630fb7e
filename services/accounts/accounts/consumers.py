"""accounts follows the workspace events to tell the user their next step: the console once
they belong to a workspace (their own, or one they were added to), else where their own
application stands."""

from dataclasses import dataclass

from accounts.domain import NextStep
from accounts.service import AccountsService
from shared.bus import Bus
from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    ApplicationWithdrawnV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
)
from shared.events import Envelope

WORKSPACE_EVENTS_QUEUE = "accounts.workspace-events"


@dataclass(frozen=True)
class ApplicationStep:
    account_id: str
    step: NextStep


@dataclass(frozen=True)
class MembershipChange:
    account_id: str
    workspace_id: str
    member: bool


def next_step_after(event: Envelope) -> ApplicationStep | MembershipChange | None:
    """What this event tells about whose next step."""
    match event.type:
        case ApplicationSubmittedV1.TYPE:
            submitted = event.payload(ApplicationSubmittedV1)
            return ApplicationStep(submitted.account_id, NextStep.APPLICATION_UNDER_REVIEW)
        case ApplicationReviewedV1.TYPE:
            reviewed = event.payload(ApplicationReviewedV1)
            if reviewed.decision == "reject":
                return ApplicationStep(reviewed.account_id, NextStep.APPLICATION_REJECTED)
            return None  # approved: ready once the workspace exists (workspace.created.v1)
        case ApplicationWithdrawnV1.TYPE:
            withdrawn = event.payload(ApplicationWithdrawnV1)  # back to a draft of their own
            return ApplicationStep(withdrawn.account_id, NextStep.APPLY_WORKSPACE)
        case WorkspaceCreatedV1.TYPE:
            created = event.payload(WorkspaceCreatedV1)
            return MembershipChange(created.owner_account_id, created.workspace_id, True)
        case WorkspaceMemberAddedV1.TYPE:
            added = event.payload(WorkspaceMemberAddedV1)
            return MembershipChange(added.account_id, added.workspace_id, True)
        case WorkspaceMemberRemovedV1.TYPE:
            removed = event.payload(WorkspaceMemberRemovedV1)
            return MembershipChange(removed.account_id, removed.workspace_id, False)
    return None


def subscribe(bus: Bus, service: AccountsService) -> None:
    async def on_workspace_event(event: Envelope) -> None:
        match next_step_after(event):
            case ApplicationStep(account_id, step):
                await service.learn_application_step(account_id, step, event=event)
            case MembershipChange(account_id, workspace_id, member):
                await service.learn_membership(
                    account_id, workspace_id=workspace_id, member=member, event=event
                )

    bus.subscribe(
        WORKSPACE_EVENTS_QUEUE,
        routing_keys=[
            ApplicationSubmittedV1.TYPE,
            ApplicationReviewedV1.TYPE,
            ApplicationWithdrawnV1.TYPE,
            WorkspaceCreatedV1.TYPE,
            WorkspaceMemberAddedV1.TYPE,
            WorkspaceMemberRemovedV1.TYPE,
        ],
        handler=on_workspace_event,
    )
