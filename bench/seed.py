"""The data the benchmarks need, made through the platform's own API (and, for the floor,
written straight into its database in the same shape)."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from argon2 import PasswordHasher
from pymongo import AsyncMongoClient

from bench.floor_http import ACCOUNTS_DB, MINIPROGRAMS_DB
from bench.stack import BenchStack
from tests.support.accounts import STRONG_PASSWORD
from tests.support.workspaces import COMPLETE_FORM
from workspaces.domain import workspace_id_for


@dataclass(frozen=True)
class User:
    """A user with a real access token (minted with the accounts signing key, so no
    signup is needed: workspaces falls back to the token's email for the applicant)."""

    account_id: str
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_user(stack: BenchStack, tag: str) -> User:
    account_id = str(uuid.uuid4())
    email = f"{tag}-{account_id[:13]}@example.com"
    return User(
        account_id, email, stack.token(account_id=account_id, email=email, roles=["merchant"])
    )


def staff(stack: BenchStack, role: str) -> User:
    account_id = str(uuid.uuid4())
    email = f"{role}-{account_id[:8]}@mpp.local"
    return User(account_id, email, stack.token(account_id=account_id, email=email, roles=[role]))


async def limited(coroutines: Iterable[Awaitable[Any]], *, concurrency: int) -> list[Any]:
    gate = asyncio.Semaphore(concurrency)

    async def one(coroutine: Awaitable[Any]) -> Any:
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


async def _call(
    http: aiohttp.ClientSession, method: str, url: str, *, expect: int, **kwargs: Any
) -> Any:
    async with http.request(method, url, **kwargs) as response:
        if response.status != expect:
            raise RuntimeError(f"{method} {url}: {response.status} {await response.text()}")
        return await response.json()


async def submit_application(http: aiohttp.ClientSession, stack: BenchStack, user: User) -> str:
    """Fill the form and submit it: the application is under review. Returns its id."""
    form = {**COMPLETE_FORM, "company_name": f"Bench {user.account_id[:8]}"}
    url = stack.url("workspaces", "/v1/workspace-applications/draft")
    await _call(http, "PUT", url, expect=200, json=form, headers=user.auth)
    submitted = await _call(http, "POST", f"{url}/submit", expect=201, headers=user.auth)
    return str(submitted["id"])


async def decide(
    http: aiohttp.ClientSession,
    stack: BenchStack,
    reviewer: User,
    application_id: str,
    decision: str,
) -> None:
    body = {"decision": decision, "reason": None if decision == "approve" else "Add a website"}
    url = stack.url("workspaces", f"/v1/review/applications/{application_id}/decision")
    await _call(http, "POST", url, expect=200, json=body, headers=reviewer.auth)


async def workspaces(
    http: aiohttp.ClientSession, stack: BenchStack, users: list[User]
) -> list[str]:
    """One approved workspace per user, known to miniprograms (the owner can create)."""
    reviewer = staff(stack, "reviewer")
    applications = await limited((submit_application(http, stack, m) for m in users), concurrency=8)
    await limited(
        (decide(http, stack, reviewer, a, "approve") for a in applications), concurrency=8
    )
    ids = [workspace_id_for(a) for a in applications]
    deadline = time.monotonic() + 120
    for workspace_id, user in zip(ids, users, strict=True):
        url = stack.url("miniprograms", f"/v1/mini-programs?workspace_id={workspace_id}")
        while True:  # the membership arrives with workspace.created.v1
            async with http.get(url, headers=user.auth) as response:
                if response.status == 200:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("workspaces were not provisioned in time")
            await asyncio.sleep(0.2)
    return ids


async def sign_up(http: aiohttp.ClientSession, stack: BenchStack, email: str) -> User:
    """A real account through POST /v1/accounts."""
    body = {"email": email, "password": STRONG_PASSWORD, "full_name": "Bench", "accept_terms": True}
    url = stack.url("accounts", "/v1/accounts")
    signed_in = await _call(http, "POST", url, expect=201, json=body)
    return User(signed_in["account"]["id"], email, signed_in["tokens"]["access_token"])


async def floor_data(stack: BenchStack, *, users: list[User], login_email: str) -> list[str]:
    """The floor's database: one workspace membership per user (as the projection stores
    it) and the login account (as accounts stores it). Returns the workspace ids."""
    now = datetime.now(UTC)
    ids = [str(uuid.uuid4()) for _ in users]
    client: AsyncMongoClient[Any] = AsyncMongoClient(stack.mongo_url, tz_aware=True)
    try:
        memberships = client[MINIPROGRAMS_DB]["memberships"]
        for workspace_id, user in zip(ids, users, strict=True):
            members = {user.account_id: {"role": "owner", "at": now}}
            await memberships.insert_one({"_id": workspace_id, "members": members})
        hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        await client[ACCOUNTS_DB]["accounts"].insert_one(
            {
                "_id": str(uuid.uuid4()),
                "email": login_email,
                "email_normalized": login_email.lower(),
                "full_name": "Bench",
                "password_hash": hasher.hash(STRONG_PASSWORD),
                "roles": ["merchant"],
                "terms": {"version": "2026-11-01", "accepted_at": now},
                "created_at": now,
            }
        )
    finally:
        await client.close()
    return ids
