"""What the miniprograms service consumes: the workspace membership, projected."""

from miniprograms.service import MiniProgramsService
from shared.bus import Bus
from shared.contracts.workspaces import (
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)

WORKSPACE_EVENTS_QUEUE = "miniprograms.workspace-events"


def subscribe(bus: Bus, service: MiniProgramsService) -> None:
    bus.subscribe(
        WORKSPACE_EVENTS_QUEUE,
        routing_keys=[
            WorkspaceCreatedV1.TYPE,
            WorkspaceMemberAddedV1.TYPE,
            WorkspaceMemberRemovedV1.TYPE,
            WorkspaceMemberRoleChangedV1.TYPE,
        ],
        handler=service.on_workspace_event,
    )
