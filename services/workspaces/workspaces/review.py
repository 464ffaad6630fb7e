"""Use cases of the reviewers: the queue and its filters, an application, its claim, its
internal notes, an account's attempts, and the decision."""

from datetime import datetime, timedelta

from shared.auth import Principal
from shared.mongo import Clock
from shared.pagination import Position
from workspaces.domain import (
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    Decision,
    Finding,
    QueueFilter,
    ReviewNote,
    check_take_over,
)
from workspaces.store import AccountsDirectory, ApplicationStore, ReviewNoteStore

ADMIN = "admin"  # the role that takes over another reviewer's claim


class ReviewService:
    def __init__(
        self,
        *,
        applications: ApplicationStore,
        notes: ReviewNoteStore,
        directory: AccountsDirectory,
        clock: Clock,
        claim_ttl: timedelta,
    ) -> None:
        self._applications = applications
        self._notes = notes
        self._directory = directory
        self._clock = clock
        self._claim_ttl = claim_ttl

    def now(self) -> datetime:
        """The service's clock (a claim shows as active by it)."""
        return self._clock()

    async def review_queue(
        self, where: QueueFilter, *, limit: int, after: Position | None
    ) -> list[Application]:
        return await self._applications.review_queue(
            where, now=self._clock(), limit=limit, after=after
        )

    async def application_for_review(self, application_id: str) -> Application:
        application = await self._applications.application(application_id)
        if application is None or not application.visible_for_review:
            raise ApplicationNotFoundError
        return application

    async def account_history(self, account_id: str) -> list[Application]:
        """Every attempt the account submitted, newest first, with its decision."""
        return await self._applications.submitted_of(account_id)

    async def queue_positions(self, applications: list[Application]) -> dict[str, int]:
        return await self._applications.queue_positions(applications)

    async def verified_applicants(self, account_ids: list[str]) -> set[str]:
        """Those of the accounts whose email is verified (as the directory learned it)."""
        return await self._directory.verified(account_ids)

    async def decide_application(
        self,
        reviewer: Principal,
        application_id: str,
        *,
        decision: Decision,
        reason: str | None,
        findings: tuple[Finding, ...] = (),
    ) -> Application:
        for _ in range(2):
            application = await self.application_for_review(application_id)
            change, event = application.decide(
                decision=decision,
                reason=reason,
                findings=findings,
                reviewer_id=reviewer.account_id,
                now=self._clock(),
            )
            decided = await self._applications.decide(application_id, change=change, event=event)
            if decided is not None:
                return decided
            # Something won between the read and the write (a decision, a withdrawal, a
            # claim): read again, and the domain says which.
        raise ApplicationAlreadyDecidedError

    async def claim(
        self, reviewer: Principal, application_id: str, *, take_over: bool = False
    ) -> Application:
        """Claim the application for the claim's time (again: extended); an admin may take
        over another's active claim."""
        take_over = check_take_over(requested=take_over, admin=ADMIN in reviewer.roles)
        for _ in range(2):
            application = await self.application_for_review(application_id)
            taken = application.claim_for(
                reviewer.account_id, now=self._clock(), ttl=self._claim_ttl, take_over=take_over
            )
            claimed = await self._applications.claim(application_id, taken, take_over=take_over)
            if claimed is not None:
                return claimed
        raise ApplicationAlreadyDecidedError  # twice raced: a decision or withdrawal won

    async def release(
        self, reviewer: Principal, application_id: str, *, take_over: bool = False
    ) -> None:
        take_over = check_take_over(requested=take_over, admin=ADMIN in reviewer.roles)
        application = await self.application_for_review(application_id)
        released = application.release_claim(
            reviewer.account_id, now=self._clock(), take_over=take_over
        )
        if released is not None:
            await self._applications.release(application_id, released)

    async def add_note(self, reviewer: Principal, application_id: str, *, text: str) -> ReviewNote:
        application = await self.application_for_review(application_id)
        note = ReviewNote.new(
            application_id=application.id,
            author_id=reviewer.account_id,
            text=text,
            now=self._clock(),
        )
        await self._notes.add(note)
        return note

    async def notes(self, application_id: str) -> list[ReviewNote]:
        application = await self.application_for_review(application_id)
        return await self._notes.of_application(application.id)
