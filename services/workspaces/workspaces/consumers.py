"""What the workspaces service consumes, and from which queue."""

from shared.bus import Bus
from shared.contracts.accounts import AccountRegisteredV1, EmailVerifiedV1
from shared.contracts.workspaces import ApplicationReviewedV1
from shared.events import Envelope
from workspaces.activity import ActivityService
from workspaces.domain.activity import RECORDED
from workspaces.service import WorkspacesService

ACCOUNT_EVENTS_QUEUE = "workspaces.account-events"
# Provisioning follows our own review events: async, retried, and idempotent.
PROVISIONING_QUEUE = "workspaces.provisioning"
# The activity log records the events of every service (its own included), each once.
ACTIVITY_QUEUE = "workspaces.activity"


def subscribe(bus: Bus, service: WorkspacesService) -> None:
    async def on_account_event(event: Envelope) -> None:
        if event.type == EmailVerifiedV1.TYPE:
            await service.on_account_email_verified(event)
        else:
            await service.on_account_registered(event)

    bus.subscribe(
        ACCOUNT_EVENTS_QUEUE,
        routing_keys=[AccountRegisteredV1.TYPE, EmailVerifiedV1.TYPE],
        handler=on_account_event,
    )
    bus.subscribe(
        PROVISIONING_QUEUE,
        routing_keys=[ApplicationReviewedV1.TYPE],
        handler=service.on_application_reviewed,
    )


def subscribe_activity(bus: Bus, activity: ActivityService) -> None:
    bus.subscribe(ACTIVITY_QUEUE, routing_keys=list(RECORDED), handler=activity.on_event)
