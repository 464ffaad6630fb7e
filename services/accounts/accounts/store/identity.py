"""The identity writes of an account (links, password, two-factor sign-in), and how an account
is stored: each change one conditional write on the account's document. The TOTP secret is
stored only sealed (store/totp_secrets.py); one stored in clear, by an enrolment from before
sealing, is sealed in place when its account is first read."""

import logging
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from accounts.domain import (
    Account,
    CodeAccepted,
    EmailVerified,
    Link,
    LinkPurpose,
    LinkRequested,
    Membership,
    NextStep,
    PasswordChanged,
    RecoveryCodeUsed,
    Role,
    Terms,
    TwoFactor,
    TwoFactorConfirmed,
    TwoFactorDisabled,
    TwoFactorStarted,
)
from accounts.store.totp_secrets import TotpSecrets, secret_hash
from shared.contracts.accounts import EmailVerifiedV1, PasswordChangedV1
from shared.events import EventPayload
from shared.mongo import Document
from shared.outbox import EventWriter
from shared.sealing import UnsealError

log = logging.getLogger(__name__)

_VERIFICATION = str(LinkPurpose.EMAIL_VERIFICATION)
_RESET = str(LinkPurpose.PASSWORD_RESET)


class IdentityWrites:
    """Part of AccountStore (the same collection and event writer)."""

    _accounts: AsyncCollection[Document]
    _events: EventWriter
    _totp: TotpSecrets

    async def _account_from(self, document: Document) -> Account:
        """The account, its TOTP secret opened. One in clear (an enrolment from before the
        secrets were sealed) is sealed in place first, unless a new enrolment replaced it."""
        two_factor = document.get("two_factor") or {}
        if (clear := two_factor.get("secret")) is not None:
            await self._accounts.update_one(
                {"_id": document["_id"], "two_factor.secret": clear},
                {
                    "$set": _sealed_secret(document["_id"], clear, totp=self._totp),
                    "$unset": {"two_factor.secret": ""},
                },
            )
        return account_from(document, totp=self._totp)

    async def save_link(self, change: LinkRequested, event: EventPayload) -> bool:
        """The new link (replacing the pending one) with the event that mails it; False when
        another request replaced the pending one first (or the email got verified)."""
        purpose = str(change.purpose)
        query: Document = {"_id": change.account_id, f"{purpose}.requested_at": change.replaces}
        if change.purpose is LinkPurpose.EMAIL_VERIFICATION:
            query["email_verified_at"] = None
        return await self._write(query, {"$set": {purpose: _link(change.link)}}, event=event)

    async def verify_email(self, change: EmailVerified, event: EmailVerifiedV1) -> bool:
        """Verified, using the link up; False when it was used meanwhile."""
        query = {"_id": change.account_id, f"{_VERIFICATION}.token_hash": change.token_hash}
        update = {"$set": {"email_verified_at": change.at}, "$unset": {_VERIFICATION: ""}}
        return await self._write(query, update, event=event)

    async def change_password(self, change: PasswordChanged, event: PasswordChangedV1) -> bool:
        """The new password (voiding any pending reset link); by a reset, only while its link
        is still pending (False: used meanwhile)."""
        query: Document = {"_id": change.account_id}
        if change.reset_token_hash is not None:
            query[f"{_RESET}.token_hash"] = change.reset_token_hash
        update = {
            "$set": {
                "password_hash": change.password_hash,
                "password_changed_at": change.at,
                "password_kept_session": change.kept_session_id,
            },
            "$unset": {_RESET: ""},
        }
        return await self._write(query, update, event=event)

    async def start_two_factor(self, change: TwoFactorStarted, *, replace: bool = False) -> bool:
        """The pending enrolment; False when two-factor sign-in got enabled meanwhile (unless
        `replace`: an operator's provisioning)."""
        query: Document = {"_id": change.account_id}
        if not replace:
            query["two_factor.enabled_at"] = None
        result = await self._accounts.update_one(
            query,
            {"$set": {"two_factor": _two_factor(change, self._totp)}},
        )
        return result.modified_count == 1

    async def confirm_two_factor(self, change: TwoFactorConfirmed) -> bool:
        result = await self._accounts.update_one(
            {
                "_id": change.account_id,
                "two_factor.secret_hash": secret_hash(change.secret),
                "two_factor.enabled_at": None,
            },
            {
                "$set": {
                    "two_factor.enabled_at": change.enabled_at,
                    "two_factor.last_step": change.step,
                    "two_factor.recovery_hashes": list(change.recovery_hashes),
                }
            },
        )
        return result.modified_count == 1

    async def accept_code(self, change: CodeAccepted) -> bool:
        """Remember the code's time step; False when that step (or a newer) was accepted
        meanwhile: the same code twice at once passes only once."""
        result = await self._accounts.update_one(
            {
                "_id": change.account_id,
                "two_factor.enabled_at": {"$ne": None},
                "two_factor.last_step": {"$lt": change.step},
            },
            {"$set": {"two_factor.last_step": change.step}},
        )
        return result.modified_count == 1

    async def use_recovery_code(self, change: RecoveryCodeUsed) -> bool:
        result = await self._accounts.update_one(
            {"_id": change.account_id, "two_factor.recovery_hashes": change.code_hash},
            {"$pull": {"two_factor.recovery_hashes": change.code_hash}},
        )
        return result.modified_count == 1

    async def disable_two_factor(self, change: TwoFactorDisabled) -> None:
        await self._accounts.update_one({"_id": change.account_id}, {"$unset": {"two_factor": ""}})

    async def _write(self, query: Document, update: Document, *, event: EventPayload) -> bool:
        changed = await self._events.update(
            self._accounts, query=query, update=update, events=[event]
        )
        return changed is not None


def account_document(account: Account) -> Document:
    document: Document = {
        "_id": account.id,
        "email": account.email,
        "email_normalized": account.email_normalized,
        "full_name": account.full_name,
        "password_hash": account.password_hash,
        "roles": [str(r) for r in account.roles],
        "terms": {"version": account.terms.version, "accepted_at": account.terms.accepted_at},
        "created_at": account.created_at,
        "email_verified_at": account.email_verified_at,
    }
    if account.email_verification is not None:
        document[_VERIFICATION] = _link(account.email_verification)
    return document


def account_from(document: Document, *, totp: TotpSecrets) -> Account:
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
        email_verified_at=document.get("email_verified_at"),
        email_verification=_link_from(document.get(_VERIFICATION)),
        password_reset=_link_from(document.get(_RESET)),
        two_factor=_two_factor_from(document, totp=totp),
        password_changed_at=document.get("password_changed_at"),
        password_kept_session=document.get("password_kept_session"),
    )


def _link(link: Link) -> Document:
    return {
        "token_hash": link.token_hash,
        "requested_at": link.requested_at,
        "expires_at": link.expires_at,
    }


def _link_from(document: Any) -> Link | None:
    if not document:
        return None
    return Link(
        token_hash=document["token_hash"],
        requested_at=document["requested_at"],
        expires_at=document["expires_at"],
    )


def _two_factor(change: TwoFactorStarted, totp: TotpSecrets) -> Document:
    two_factor = change.two_factor
    if two_factor.secret is None:
        raise ValueError("an enrolment starts with a secret")
    sealed = _sealed_secret(change.account_id, two_factor.secret, totp=totp)
    return {
        "sealed_secret": sealed["two_factor.sealed_secret"],
        "secret_hash": sealed["two_factor.secret_hash"],
        "enabled_at": two_factor.enabled_at,
        "last_step": two_factor.last_step,
        "recovery_hashes": list(two_factor.recovery_hashes),
    }


def _sealed_secret(account_id: str, secret: str, *, totp: TotpSecrets) -> Document:
    return {
        "two_factor.sealed_secret": totp.seal(account_id, secret),
        "two_factor.secret_hash": secret_hash(secret),
    }


def _two_factor_from(account: Document, *, totp: TotpSecrets) -> TwoFactor | None:
    document = account.get("two_factor")
    if not document:
        return None
    return TwoFactor(
        secret=_secret_from(account["_id"], document, totp=totp),
        enabled_at=document.get("enabled_at"),
        last_step=document.get("last_step", -1),
        recovery_hashes=tuple(document.get("recovery_hashes", ())),
    )


def _secret_from(account_id: str, document: Document, *, totp: TotpSecrets) -> str | None:
    """The secret opened (or in clear, before its first read sealed it); None when it does not
    open: no code passes then, recovery codes still do, and the operator sees why."""
    if "sealed_secret" not in document:
        clear: str | None = document.get("secret")
        return clear
    try:
        return totp.open(account_id, document["sealed_secret"])
    except UnsealError as exc:
        log.error("account %s: its TOTP secret does not open: %s", account_id, exc)
        return None
