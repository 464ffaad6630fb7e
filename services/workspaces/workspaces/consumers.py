"""What the workspaces service consumes, and from which queue."""

from shared.bus import Bus
from shared.contracts.accounts import AccountRegisteredV1
from shared.contracts.workspaces import ApplicationReviewedV1
from workspaces.service import WorkspacesService

ACCOUNT_EVENTS_QUEUE = "workspaces.account-events"
# Provisioning follows our own review events: async, retried, and idempotent.
PROVISIONING_QUEUE = "workspaces.provisioning"


def subscribe(bus: Bus, service: WorkspacesService) -> None:
    bus.subscribe(
        ACCOUNT_EVENTS_QUEUE,
        routing_keys=[AccountRegisteredV1.TYPE],
        handler=service.on_account_registered,
    )
    bus.subscribe(
        PROVISIONING_QUEUE,
        routing_keys=[ApplicationReviewedV1.TYPE],
        handler=service.on_application_reviewed,
    )
