"""Use cases of the activity log: record each event once, naming the people in it as the
accounts directory knows them then, and read a workspace's log (its members) or an
application's (its applicant)."""

import logging
from collections.abc import AsyncIterator

from shared.auth import Principal
from shared.bus import PermanentError
from shared.events import Envelope
from shared.pagination import Position
from workspaces.domain import DirectoryAccount
from workspaces.domain.activity import ActivityEntry, ActivityKind, activity_entry
from workspaces.service import WorkspacesService
from workspaces.store import AccountsDirectory, ActivityStore

log = logging.getLogger(__name__)


class ActivityService:
    def __init__(
        self,
        *,
        workspaces: WorkspacesService,
        store: ActivityStore,
        directory: AccountsDirectory,
    ) -> None:
        self._workspaces = workspaces
        self._store = store
        self._directory = directory

    async def on_event(self, event: Envelope) -> None:
        """Record the event's entry once: a redelivery finds it recorded (keyed by event id)."""
        try:
            entry = activity_entry(event)
        except ValueError as exc:  # the payload is not its type's: retrying cannot help
            raise PermanentError(f"malformed {event.type} event {event.id}: {exc}") from exc
        if entry is None:
            return
        if not await self._store.record(entry.named(await self._people(entry))):
            log.info("event %s is in the activity log already", event.id)

    async def _people(self, entry: ActivityEntry) -> dict[str, DirectoryAccount]:
        """The directory's accounts of the people the entry names (at most two)."""
        found = {}
        for account_id in entry.people():
            if (account := await self._directory.account(account_id)) is not None:
                found[account_id] = account
        return found

    async def of_workspace(
        self,
        principal: Principal,
        workspace_id: str,
        *,
        kind: ActivityKind | None,
        mini_program_id: str | None,
        after: Position | None,
        limit: int,
    ) -> AsyncIterator[ActivityEntry]:
        """The workspace's log, and its application's, newest first (for any member)."""
        workspace, _ = await self._workspaces.workspace_for(principal, workspace_id)
        return self._store.entries(
            workspace_id=workspace.id,
            application_id=workspace.application_id,
            kind=kind,
            mini_program_id=mini_program_id,
            after=after,
            limit=limit,
        )

    async def of_application(
        self,
        principal: Principal,
        application_id: str,
        *,
        kind: ActivityKind | None,
        after: Position | None,
        limit: int,
    ) -> AsyncIterator[ActivityEntry]:
        """The history of the caller's own application, newest first."""
        application = await self._workspaces.my_application(principal, application_id)
        return self._store.entries(
            application_id=application.id, kind=kind, after=after, limit=limit
        )
