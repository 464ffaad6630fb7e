"""The accounts service's collections and their indexes: each domain change in one write."""

from datetime import datetime

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from accounts.domain import (
    Account,
    ApplicationStepLearned,
    EmailTakenError,
    Membership,
    MembershipLearned,
    NextStep,
    PasswordRehashed,
    RefreshSession,
    Role,
    RolesGranted,
    SessionRevoked,
    SessionRotated,
    SessionStatus,
    Terms,
)
from shared.contracts.accounts import AccountRegisteredV1
from shared.events import Envelope
from shared.inbox import apply_once
from shared.mongo import Database, Document
from shared.outbox import EventWriter, outbox_index

ACCOUNTS = "accounts"
REFRESH_SESSIONS = "refresh_sessions"
LOGIN_FAILURES = "login_failures"

INDEXES = {
    ACCOUNTS: [
        # Unique on the normalized email: case-insensitive uniqueness that holds under races.
        IndexModel([("email_normalized", ASCENDING)], unique=True),
        outbox_index(),
    ],
    REFRESH_SESSIONS: [
        IndexModel([("current_hash", ASCENDING)], unique=True),
        IndexModel([("used_hashes", ASCENDING)]),
        IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
    ],
    LOGIN_FAILURES: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
}
# Collections whose documents carry outbox events.
EVENT_SOURCES = [ACCOUNTS]


class AccountStore:
    def __init__(self, db: Database, *, events: EventWriter) -> None:
        self._accounts = db[ACCOUNTS]
        self._sessions = db[REFRESH_SESSIONS]
        self._failures = db[LOGIN_FAILURES]
        self._events = events

    # --- accounts ----------------------------------------------------------------------

    async def insert_account(self, account: Account, event: AccountRegisteredV1) -> None:
        """The account and its event in one write; EmailTakenError if the email is taken."""
        try:
            await self._events.insert(self._accounts, _account_document(account), events=[event])
        except DuplicateKeyError as exc:
            raise EmailTakenError(account.email) from exc

    async def account_by_id(self, account_id: str) -> Account | None:
        found = await self._accounts.find_one({"_id": account_id})
        return None if found is None else _account(found)

    async def account_by_email(self, email_normalized: str) -> Account | None:
        found = await self._accounts.find_one({"email_normalized": email_normalized})
        return None if found is None else _account(found)

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

    # --- refresh sessions: one document per login, holding the current token's hash ------

    async def insert_session(self, session: RefreshSession) -> None:
        await self._sessions.insert_one(
            {
                "_id": session.id,
                "account_id": session.account_id,
                "current_hash": session.current_hash,
                "used_hashes": list(session.used_hashes),
                "status": str(session.status),
                "created_at": session.created_at,
                "expires_at": session.expires_at,
            }
        )

    async def session_by_token(self, token_hash: str) -> RefreshSession | None:
        """The session whose current or an earlier (rotated) token has this hash."""
        found = await self._sessions.find_one(
            {"$or": [{"current_hash": token_hash}, {"used_hashes": token_hash}]}
        )
        return None if found is None else _session(found)

    async def rotate(self, change: SessionRotated) -> bool:
        """Swap the current token in one conditional write; False if the old token is no
        longer the current one of an active session (another refresh won a race: a reuse)."""
        result = await self._sessions.update_one(
            {
                "_id": change.session_id,
                "current_hash": change.old_hash,
                "status": str(SessionStatus.ACTIVE),
            },
            {
                "$set": {"current_hash": change.new_hash, "expires_at": change.expires_at},
                "$push": {"used_hashes": change.old_hash},
            },
        )
        return result.matched_count == 1

    async def revoke(self, change: SessionRevoked) -> None:
        """Revoke the session (a revoked one keeps the time it was first revoked)."""
        await self._sessions.update_one(
            {"_id": change.session_id, "status": str(SessionStatus.ACTIVE)},
            {"$set": {"status": str(SessionStatus.REVOKED), "revoked_at": change.revoked_at}},
        )

    # --- login throttling (fixed windows) ---------------------------------------------

    async def failure_counts(self, keys: list[str]) -> dict[str, int]:
        found = self._failures.find({"_id": {"$in": keys}})
        return {doc["_id"]: doc["count"] async for doc in found}

    async def record_failure(self, keys: list[str], *, expires_at: datetime) -> None:
        for key in keys:
            await self._failures.update_one(
                {"_id": key},
                {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}},
                upsert=True,
            )


def _account_document(account: Account) -> Document:
    return {
        "_id": account.id,
        "email": account.email,
        "email_normalized": account.email_normalized,
        "full_name": account.full_name,
        "password_hash": account.password_hash,
        "roles": [str(r) for r in account.roles],
        "terms": {"version": account.terms.version, "accepted_at": account.terms.accepted_at},
        "created_at": account.created_at,
    }


def _account(document: Document) -> Account:
    return Account(
        id=document["_id"],
        email=document["email"],
        full_name=document["full_name"],
        password_hash=document["password_hash"],
        roles=tuple(Role(r) for r in document["roles"]),
        terms=Terms(
            version=document["terms"]["version"], accepted_at=document["terms"]["accepted_at"]
        ),
        created_at=document["created_at"],
        application_step=NextStep(document.get("application_step", NextStep.APPLY_WORKSPACE)),
        application_step_at=document.get("application_step_at"),
        memberships={
            workspace_id: Membership(member=m["member"], at=m["at"])
            for workspace_id, m in document.get("memberships", {}).items()
        },
    )


def _older_than(field: str, at: datetime) -> Document:
    """The stored time at `field` is missing or older than `at`."""
    return {"$or": [{field: {"$exists": False}}, {field: {"$lt": at}}]}


def _session(document: Document) -> RefreshSession:
    return RefreshSession(
        id=document["_id"],
        account_id=document["account_id"],
        current_hash=document["current_hash"],
        used_hashes=tuple(document["used_hashes"]),
        status=SessionStatus(document["status"]),
        created_at=document["created_at"],
        expires_at=document["expires_at"],
        revoked_at=document.get("revoked_at"),
    )
