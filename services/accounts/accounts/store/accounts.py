"""Accounts: each domain change in one (conditional) write, with its events."""

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from accounts.domain import (
    Account,
    ApplicationStepLearned,
    EmailTakenError,
    LinkPurpose,
    MembershipLearned,
    PasswordRehashed,
    RolesGranted,
)
from accounts.store.identity import IdentityWrites, account_document
from accounts.store.totp_secrets import TotpSecrets
from shared.events import Envelope, EventPayload
from shared.inbox import apply_once
from shared.mongo import Database, Document
from shared.outbox import WITHOUT_OUTBOX, EventWriter

ACCOUNTS = "accounts"


class AccountStore(IdentityWrites):
    def __init__(self, db: Database, *, events: EventWriter, totp: TotpSecrets) -> None:
        self._accounts = db[ACCOUNTS]
        self._events = events
        self._totp = totp  # seals each TOTP secret in its document

    # --- accounts ----------------------------------------------------------------------

    async def insert_account(self, account: Account, *events: EventPayload) -> None:
        """The account and its events in one write; EmailTakenError if the email is taken."""
        try:
            await self._events.insert(self._accounts, account_document(account), events=events)
        except DuplicateKeyError as exc:
            raise EmailTakenError(account.email) from exc

    async def account_by_id(self, account_id: str) -> Account | None:
        found = await self._accounts.find_one({"_id": account_id}, WITHOUT_OUTBOX)
        return None if found is None else await self._account_from(found)

    async def account_by_email(self, email_normalized: str) -> Account | None:
        found = await self._accounts.find_one(
            {"email_normalized": email_normalized}, WITHOUT_OUTBOX
        )
        return None if found is None else await self._account_from(found)

    async def account_by_link(self, purpose: LinkPurpose, token_hash: str) -> Account | None:
        """The account whose pending link of this purpose has this token."""
        found = await self._accounts.find_one({f"{purpose}.token_hash": token_hash}, WITHOUT_OUTBOX)
        return None if found is None else await self._account_from(found)

    async def grant_roles(self, change: RolesGranted) -> None:
        if change.roles:
            await self._accounts.update_one(
                {"_id": change.account_id},
                {"$addToSet": {"roles": {"$each": [str(r) for r in change.roles]}}},
            )

    async def rehash_password(self, change: PasswordRehashed) -> None:
        await self._accounts.update_one(
            {"_id": change.account_id}, {"$set": {"password_hash": change.password_hash}}
        )

    async def learn_application_step(
        self, change: ApplicationStepLearned, *, event: Envelope
    ) -> bool:
        """Save the step unless the event was applied before or a newer event set one
        meanwhile; False when nothing changed."""
        return await apply_once(
            self._accounts,
            document_id=change.account_id,
            event=event,
            update={
                "$set": {"application_step": str(change.step), "application_step_at": change.at}
            },
            upsert=False,
            only_if=_older_than("application_step_at", change.at),
        )

    async def learn_membership(self, change: MembershipLearned, *, event: Envelope) -> bool:
        """Save joining or leaving the workspace, under the same conditions."""
        key = f"memberships.{change.workspace_id}"
        return await apply_once(
            self._accounts,
            document_id=change.account_id,
            event=event,
            update={"$set": {key: {"member": change.member, "at": change.at}}},
            upsert=False,
            only_if=_older_than(f"{key}.at", change.at),
        )


def _older_than(field: str, at: datetime) -> Document:
    """The stored time at `field` is missing or older than `at`."""
    return {"$or": [{field: {"$exists": False}}, {field: {"$lt": at}}]}
