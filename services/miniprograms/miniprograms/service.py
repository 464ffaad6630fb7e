"""Use cases of the miniprograms service."""

import uuid
from typing import Any

from miniprograms.domain import (
    LANGUAGE,
    MINI_PROGRAM_LIMIT,
    ForbiddenError,
    LimitReachedError,
    MiniProgramForm,
    NameTakenError,
    NotFoundError,
    WorkspaceRole,
    can_create,
    can_see,
    name_key,
)
from miniprograms.store import MINI_PROGRAMS, MiniProgramStore, NameKeyTakenError, SlotTakenError
from shared.auth import Principal
from shared.contracts.miniprograms import MiniProgramCreatedV1, MiniProgramUpdatedV1
from shared.contracts.workspaces import (
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.events import Envelope, EventPayload, new_event
from shared.images import Logo
from shared.logging import correlation_id_var
from shared.mongo import Database, utc_now
from shared.outbox import EventsSaved

type Doc = dict[str, Any]


class MiniProgramsService:
    def __init__(self, *, db: Database, producer: str, notify_outbox: EventsSaved) -> None:
        self._store = MiniProgramStore(db)
        self._producer = producer
        self._notify_outbox = notify_outbox

    def _event(self, payload: EventPayload) -> Envelope:
        return new_event(payload, producer=self._producer, correlation_id=correlation_id_var.get())

    async def _role(self, principal: Principal, workspace_id: str) -> str:
        """The caller's role; a workspace they are not in does not exist for them."""
        role = await self._store.role_of(workspace_id, principal.account_id)
        if role is None:
            raise NotFoundError
        return role

    async def create(self, principal: Principal, form: MiniProgramForm, logo: Logo) -> Doc:
        role = await self._role(principal, form.workspace_id)
        if not can_create(role):
            raise ForbiddenError
        now = utc_now()
        mini_program = {
            "_id": str(uuid.uuid4()),
            **self._fields(form),
            "logo_id": await self._save_logo(logo),
            "language": LANGUAGE,
            "developer_ids": [],
            "created_by": principal.account_id,
            "created_at": now,
            "updated_at": now,
        }
        event = self._event(
            MiniProgramCreatedV1(
                mini_program_id=mini_program["_id"],
                workspace_id=form.workspace_id,
                target=form.target,
                name=form.name,
                industry=form.industry,
                created_by=principal.account_id,
                created_at=now,
            )
        )
        await self._insert_in_free_slot(mini_program, event)
        self._notify_outbox(MINI_PROGRAMS, mini_program["_id"])
        return mini_program

    async def _insert_in_free_slot(self, mini_program: Doc, event: Envelope) -> None:
        """Take the lowest free slot; a concurrent create that took it first makes us try the
        next. The unique (workspace_id, slot) index is what enforces the limit."""
        workspace_id = mini_program["workspace_id"]
        while True:
            used = await self._store.used_slots(workspace_id)
            free = [slot for slot in range(MINI_PROGRAM_LIMIT) if slot not in used]
            if not free:
                raise LimitReachedError
            try:
                await self._store.insert({**mini_program, "slot": free[0]}, event)
            except SlotTakenError:
                continue
            except NameKeyTakenError as exc:
                raise NameTakenError from exc
            mini_program["slot"] = free[0]
            return

    async def update(
        self, principal: Principal, mini_program_id: str, form: MiniProgramForm, logo: Logo
    ) -> Doc:
        current = await self.get(principal, mini_program_id)
        if form.workspace_id != current["workspace_id"]:
            raise NotFoundError  # a mini program does not move between workspaces
        now = utc_now()
        fields = {**self._fields(form), "logo_id": await self._save_logo(logo), "updated_at": now}
        event = self._event(
            MiniProgramUpdatedV1(
                mini_program_id=mini_program_id,
                workspace_id=form.workspace_id,
                target=form.target,
                name=form.name,
                industry=form.industry,
                updated_by=principal.account_id,
                updated_at=now,
            )
        )
        try:
            updated = await self._store.replace_fields(mini_program_id, fields, event)
        except NameKeyTakenError as exc:
            raise NameTakenError from exc
        self._notify_outbox(MINI_PROGRAMS, mini_program_id)
        return updated

    @staticmethod
    def _fields(form: MiniProgramForm) -> Doc:
        return {**form.model_dump(), "name_key": name_key(form.name)}

    async def get(self, principal: Principal, mini_program_id: str) -> Doc:
        mini_program = await self._store.get(mini_program_id)
        if mini_program is None:
            raise NotFoundError
        role = await self._store.role_of(mini_program["workspace_id"], principal.account_id)
        if not can_see(
            role, account_id=principal.account_id, developer_ids=mini_program["developer_ids"]
        ):
            raise NotFoundError
        return mini_program

    async def list(self, principal: Principal, workspace_id: str) -> tuple[list[Doc], int]:
        """The mini programs the caller may see, and how many the workspace has in all."""
        role = await self._role(principal, workspace_id)
        developer = principal.account_id if role == WorkspaceRole.DEVELOPER else None
        items = await self._store.list(workspace_id, developer_id=developer)
        return items, await self._store.count(workspace_id)

    async def used(self, workspace_id: str) -> int:
        return await self._store.count(workspace_id)

    async def _save_logo(self, logo: Logo) -> str:
        document = logo.document()
        await self._store.insert_logo(document)
        return str(document["_id"])

    async def logo(self, principal: Principal, mini_program_id: str) -> Doc:
        mini_program = await self.get(principal, mini_program_id)
        logo = await self._store.logo(mini_program["logo_id"])
        if logo is None:
            raise NotFoundError
        return logo

    # --- membership projection -------------------------------------------------------------

    async def on_workspace_event(self, event: Envelope) -> None:
        match event.type:
            case WorkspaceCreatedV1.TYPE:
                created = event.payload(WorkspaceCreatedV1)
                await self._store.set_member(
                    created.workspace_id, created.owner_account_id, WorkspaceRole.OWNER, event=event
                )
            case WorkspaceMemberAddedV1.TYPE:
                added = event.payload(WorkspaceMemberAddedV1)
                await self._store.set_member(
                    added.workspace_id, added.account_id, added.role, event=event
                )
            case WorkspaceMemberRoleChangedV1.TYPE:
                changed = event.payload(WorkspaceMemberRoleChangedV1)
                await self._store.set_member(
                    changed.workspace_id, changed.account_id, changed.role, event=event
                )
            case WorkspaceMemberRemovedV1.TYPE:
                removed = event.payload(WorkspaceMemberRemovedV1)
                await self._store.set_member(
                    removed.workspace_id, removed.account_id, None, event=event
                )
