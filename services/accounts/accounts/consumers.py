"""accounts follows the workspace application to tell the user their next step."""

from accounts.domain import NextStep
from accounts.service import AccountsService
from shared.bus import Bus
from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    WorkspaceCreatedV1,
)
from shared.events import Envelope

WORKSPACE_EVENTS_QUEUE = "accounts.workspace-events"


def next_step_after(event: Envelope) -> tuple[str, NextStep] | None:
    """Whose next step this event sets, and to what."""
    match event.type:
        case ApplicationSubmittedV1.TYPE:
            submitted = event.payload(ApplicationSubmittedV1)
            return submitted.account_id, NextStep.APPLICATION_UNDER_REVIEW
        case ApplicationReviewedV1.TYPE:
            reviewed = event.payload(ApplicationReviewedV1)
            if reviewed.decision == "reject":
                return reviewed.account_id, NextStep.APPLICATION_REJECTED
            return None  # approved: ready once the workspace exists (workspace.created.v1)
        case WorkspaceCreatedV1.TYPE:
            created = event.payload(WorkspaceCreatedV1)
            return created.owner_account_id, NextStep.WORKSPACE_READY
    return None


def subscribe(bus: Bus, service: AccountsService) -> None:
    async def on_workspace_event(event: Envelope) -> None:
        if change := next_step_after(event):
            account_id, step = change
            await service.set_next_step(account_id, step, event=event)

    bus.subscribe(
        WORKSPACE_EVENTS_QUEUE,
        routing_keys=[
            ApplicationSubmittedV1.TYPE,
            ApplicationReviewedV1.TYPE,
            WorkspaceCreatedV1.TYPE,
        ],
        handler=on_workspace_event,
    )
