"""Use cases of the miniprograms service: load, ask the domain, save."""

from miniprograms import access
from miniprograms.domain import (
    Membership,
    MiniProgram,
    MiniProgramForm,
    MiniProgramNotFoundError,
    member_role_set,
)
from miniprograms.store import MiniProgramStore
from shared.auth import Principal
from shared.events import Envelope
from shared.images import Logo, LogoStore
from shared.mongo import Clock, Document


class MiniProgramsService:
    def __init__(self, *, store: MiniProgramStore, logos: LogoStore, clock: Clock) -> None:
        self._store = store
        self._logos = logos
        self._clock = clock

    async def create(
        self, principal: Principal, *, form: MiniProgramForm, logo: Logo
    ) -> MiniProgram:
        membership = await self._store.membership(form.workspace_id, principal.account_id)
        membership.check_may_create(principal.account_id)
        mini_program, created = MiniProgram.create(
            form=form,
            created_by=principal.account_id,
            logo_id=await self._logos.save(logo),
            now=self._clock(),
        )
        await self._store.add(mini_program, event=created)
        return mini_program

    async def update(
        self, principal: Principal, *, mini_program_id: str, form: MiniProgramForm, logo: Logo
    ) -> MiniProgram:
        current = await self.get(principal, mini_program_id)
        current.check_stays_in(form.workspace_id)  # before the logo is saved: refused, no trace
        change, updated = current.modify(
            form=form,
            logo_id=await self._logos.save(logo),
            updated_by=principal.account_id,
            now=self._clock(),
        )
        return await self._store.replace_fields(change=change, event=updated)

    async def get(self, principal: Principal, mini_program_id: str) -> MiniProgram:
        mini_program = await self._store.get(mini_program_id)
        if mini_program is None:
            raise MiniProgramNotFoundError
        membership = await self._store.membership(mini_program.workspace_id, principal.account_id)
        membership.check_may_see(principal.account_id, mini_program)
        return mini_program

    async def list(
        self, principal: Principal, workspace_id: str, *, developer_id: str | None = None
    ) -> tuple[list[MiniProgram], int]:
        """The mini programs the caller may see (or those one member is granted), and how many
        the workspace has in all."""
        membership = await self._store.membership(workspace_id, principal.account_id)
        assigned = membership.sees_only_assigned(principal.account_id)
        if developer_id is not None:
            await self._check_member_grants_visible(
                membership, principal=principal, account_id=developer_id
            )
        elif assigned:
            developer_id = principal.account_id
        items = await self._store.list(workspace_id, developer_id=developer_id)
        return items, await self._store.count(workspace_id)

    async def _check_member_grants_visible(
        self, membership: Membership, *, principal: Principal, account_id: str
    ) -> None:
        """One member's grants: the caller's own, or (owner and masters) another member's."""
        access.check_may_see_grants(
            membership, viewer_id=principal.account_id, account_id=account_id
        )
        member = await self._store.membership(membership.workspace_id, account_id)
        if member.role_of(account_id) is None:
            raise access.DeveloperNotFoundError

    async def used(self, workspace_id: str) -> int:
        return await self._store.count(workspace_id)

    async def logo(self, principal: Principal, mini_program_id: str) -> Document:
        mini_program = await self.get(principal, mini_program_id)
        logo = await self._logos.find(mini_program.fields.logo_id)
        if logo is None:
            raise MiniProgramNotFoundError
        return logo

    # --- per-mini-program access ------------------------------------------------------------

    async def developers(self, principal: Principal, mini_program_id: str) -> tuple[str, ...]:
        """The developers granted this mini program (for whoever may see it)."""
        return (await self.get(principal, mini_program_id)).developer_ids

    async def grant(self, principal: Principal, *, mini_program_id: str, account_id: str) -> None:
        mini_program = await self._managed(principal, mini_program_id)
        developer = await self._store.membership(mini_program.workspace_id, account_id)
        granted = access.grant(
            mini_program,
            developer_role=developer.role_of(account_id),
            account_id=account_id,
            by=principal.account_id,
            now=self._clock(),
        )
        if granted is not None:
            await self._store.set_access(granted[0], event=granted[1])

    async def revoke(self, principal: Principal, *, mini_program_id: str, account_id: str) -> None:
        mini_program = await self._managed(principal, mini_program_id)
        revoked = access.revoke(
            mini_program, account_id=account_id, by=principal.account_id, now=self._clock()
        )
        if revoked is not None:
            await self._store.set_access(revoked[0], event=revoked[1])

    async def _managed(self, principal: Principal, mini_program_id: str) -> MiniProgram:
        """A mini program the caller sees and may grant in (owner or master)."""
        mini_program = await self.get(principal, mini_program_id)
        manager = await self._store.membership(mini_program.workspace_id, principal.account_id)
        access.check_may_grant(manager, principal.account_id)
        return mini_program

    # --- the membership projection ------------------------------------------------------------

    async def on_workspace_event(self, event: Envelope) -> None:
        """The membership projection: each member's role as the workspace events tell it;
        a member who is no developer any more (as projected, whatever order events came in)
        loses their grants."""
        if (change := member_role_set(event)) is None:
            return
        await self._store.set_member(change, event=event)
        projected = await self._store.membership(change.workspace_id, change.account_id)
        role = projected.role_of(change.account_id)
        if access.keeps_grants(role):
            return
        reason = "member_removed" if role is None else "role_changed"
        for mini_program in await self._store.granted_to(change.workspace_id, change.account_id):
            revoked = access.revoke(
                mini_program,
                account_id=change.account_id,
                by=None,
                now=self._clock(),
                reason=reason,
            )
            if revoked is not None:
                await self._store.set_access(revoked[0], event=revoked[1])
